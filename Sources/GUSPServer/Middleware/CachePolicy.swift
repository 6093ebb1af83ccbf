/// Who may keep a successful read, by route (RFC 9111 §5.2.2):
/// - `no-store` where the answer holds personal data or a probe's state: the caller's own account and
///   data, users' addresses, a signalement (its reporter's contact), the logs of reads and of security
///   events, API keys, health and readiness;
/// - `public, max-age=60` on the public routes read without a token (open data, Open311), so that a
///   CDN or a browser may serve them for a minute;
/// - `private, no-cache` on every other read: the caller's browser may keep it and must revalidate
///   it (`If-None-Match`) before using it again; no shared cache may keep it.
enum CachePolicy {
    static func directive(route: String?, path: String, authenticated: Bool) -> String {
        let template = route ?? path
        if noStore.contains(template) || template.hasPrefix("/v1/me/") { return "no-store" }
        if !authenticated, CORSPolicy.isPublic(path: path, method: "GET") { return "public, max-age=60" }
        return "private, no-cache"
    }

    static let noStore: Set<String> = [
        "/health", "/ready", "/v1/me", "/v1/users", "/v1/users/{user_id}", "/v1/contact-reads", "/v1/security-events",
        "/v1/signalements/{signalement_id}", "/v1/partners/{partner_id}/api-keys",
    ]
}
