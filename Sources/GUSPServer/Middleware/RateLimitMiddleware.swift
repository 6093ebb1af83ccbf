import Foundation
import GUSPCore
import HTTPTypes
import Hummingbird
import Synchronization

/// Counts requests per key in fixed windows and says when the next one is allowed, in this process's
/// memory (one SQLite process; per-account write limits). Limits on guessing are counted in the
/// database on PostgreSQL instead (`Store.admitShared`), shared by every instance.
actor RateLimiter {
    struct Rule: Sendable {
        var limit: Int
        var window: TimeInterval
    }

    private var windows: [String: (start: Date, count: Int)] = [:]

    /// Nil when allowed; otherwise the seconds to wait.
    func admit(_ key: String, _ rule: Rule, now: Date = Date()) -> Int? {
        if windows.count > 100_000 { windows = windows.filter { now.timeIntervalSince($0.value.start) < rule.window } }
        var window = windows[key] ?? (now, 0)
        if now.timeIntervalSince(window.start) >= rule.window { window = (now, 0) }
        guard window.count < rule.limit else {
            return max(1, Int((rule.window - now.timeIntervalSince(window.start)).rounded(.up)))
        }
        window.count += 1
        windows[key] = window
        return nil
    }
}

/// Guards the anonymous doors against guessing and flooding: logging in (per client address and per
/// email) and registering (per client address). Over the limit is a 429 with `Retry-After`.
/// (Confirming one's current password is limited per account, after authentication:
/// `AccountLimitMiddleware`.)
struct RateLimitMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let store: Store
    let limiter = RateLimiter()
    let refusals = RefusalLog()

    static var loginPerAddress: RateLimiter.Rule { .init(limit: 30, window: 300) }
    static var loginPerEmail: RateLimiter.Rule { .init(limit: 10, window: 900) }
    static var registrationPerAddress: RateLimiter.Rule { .init(limit: 10, window: 3600) }
    /// What anyone may read or answer without an account (public tracking by reference, questionnaires,
    /// unsubscriptions): enough for people, not for walking every reference. Counted in this process's
    /// memory on either engine (reads must not write).
    static var publicPerAddress: RateLimiter.Rule { .init(limit: 120, window: 60) }

    /// Read by segments, empty ones skipped, as the router reads them (`//suivi/…` is `/suivi/…`).
    static func isPublic(_ path: String) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let first = segments.first else { return false }
        return ["suivi", "retour", "desabonnement"].contains(first) || (first == "v1" && segments.dropFirst().first == "public")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let address = context.remoteAddress?.ipAddress ?? "unknown"
        // The security log names where a request came from.
        return try await RequestOrigin.$address.withValue(address) { try await limit(request, address: address, context: context, next: next) }
    }

    private func limit(
        _ request: Request, address: String, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if Self.isPublic(request.uri.path), let wait = await limiter.admit("public:\(address)", Self.publicPerAddress) {
            var problem = Problem(.tooManyRequests, "rate-limited", detail: "trop de demandes ; réessayez dans \(wait) s")
            problem.headers[.retryAfter] = String(wait)
            throw problem
        }
        guard request.isAPI else { return try await next(request, context) }
        guard request.method == .post else { return try await next(request, context) }
        let route = request.uri.path.split(separator: "/").joined(separator: "/")
        switch route {
        case "v1/auth/token":
            do {
                try await admit("login-address:\(address)", Self.loginPerAddress)
                if let email = Self.email(in: RequestState.current.body) {
                    try await admit("login-email:\(EmailAddress.normalized(email))", Self.loginPerEmail)
                }
            } catch let problem as Problem {
                // Once a minute per address at most: a flood of refusals must not flood the log.
                if refusals.shouldLog(address) { try? await store.recordSecurityEvent(.loginLimited, detail: "from \(address)") }
                throw problem
            }
        case "v1/residents":
            try await admit("registration-address:\(address)", Self.registrationPerAddress)
        default:
            break
        }
        return try await next(request, context)
    }

    private func admit(_ key: String, _ rule: RateLimiter.Rule) async throws {
        let shared = store.countsLimitsInDatabase
        if let wait = shared ? try await store.admitShared(key, limit: rule.limit, window: rule.window) : await limiter.admit(key, rule) {
            var problem = Problem(.tooManyRequests, "rate-limited", detail: "too many attempts; try again in \(wait) s")
            problem.headers[.retryAfter] = String(wait)
            throw problem
        }
    }

    private struct Credentials: Decodable {
        var email: String?
    }

    /// The body's `email`, read as the login's own decoder reads it (the body names each member once:
    /// see `JSONDuplicateKeys`).
    static func email(in body: [UInt8]) -> String? {
        (try? JSONDecoder().decode(Credentials.self, from: Data(body)))?.email
    }
}

/// Which addresses had a refused login logged lately (at most one entry a minute per address).
final class RefusalLog: Sendable {
    private let lastLogged = Mutex<[String: Date]>([:])

    func shouldLog(_ address: String, now: Date = Date()) -> Bool {
        lastLogged.withLock { logged in
            if logged.count > 10_000 { logged.removeAll() }
            if let last = logged[address], now.timeIntervalSince(last) < 60 { return false }
            logged[address] = now
            return true
        }
    }
}
