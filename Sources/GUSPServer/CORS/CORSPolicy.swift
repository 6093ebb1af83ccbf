import Foundation

/// Which web origins may call gusp from a browser (`GUSP_CORS_ORIGINS`): none by default, a list of
/// exact origins (`https://app.example.org`), and `*` that opens only the public routes, those that
/// take no token and show no personal data. gusp never uses cookies, so no answer allows credentials:
/// a front end sends its bearer token in `Authorization`, which the preflight allows.
public struct CORSPolicy: Sendable, Equatable {
    /// Serialised origins (`scheme://host[:port]`, lowercased, default port left out).
    public private(set) var origins: Set<String> = []
    /// `*` was listed: any origin may read the public routes.
    public private(set) var anyOriginOnPublicRoutes = false

    public init() {}

    /// Parses a comma-separated list; an entry that is not an origin is an error naming it.
    public init(list: String) throws(CORSPolicyError) {
        for entry in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            if entry == "*" {
                anyOriginOnPublicRoutes = true
            } else if let origin = Self.serialised(entry) {
                origins.insert(origin)
            } else {
                throw CORSPolicyError(entry: entry)
            }
        }
    }

    public var isEnabled: Bool { anyOriginOnPublicRoutes || !origins.isEmpty }

    /// What `Access-Control-Allow-Origin` answers to `origin` on `path`, or nil when it may not read.
    func allowedOrigin(_ origin: String, path: String, method: String) -> String? {
        if let serialised = Self.serialised(origin), origins.contains(serialised) { return origin }
        if anyOriginOnPublicRoutes, Self.isPublic(path: path, method: method) { return "*" }
        return nil
    }

    /// Routes anyone may read without a token, and that hold no personal data.
    static func isPublic(path: String, method: String) -> Bool {
        guard method == "GET" || method == "HEAD" else { return false }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        switch segments.first {
        case "health", "ready", "openapi.yaml": return segments.count == 1
        case "v1": return segments.dropFirst().first == "public"
        case "open311": return true
        default: return false
        }
    }

    /// The serialisation of an origin (RFC 6454 §6.1) when `text` is one: http or https, a host,
    /// an optional port, nothing else (no path, query, fragment or user).
    static func serialised(_ text: String) -> String? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host?.lowercased(), !host.isEmpty,
            components.path.isEmpty, components.query == nil, components.fragment == nil, components.user == nil
        else { return nil }
        let defaultPort = scheme == "https" ? 443 : 80
        if let port = components.port, port != defaultPort { return "\(scheme)://\(host):\(port)" }
        return "\(scheme)://\(host)"
    }
}

public struct CORSPolicyError: Error, CustomStringConvertible {
    public let entry: String
    public var description: String {
        "GUSP_CORS_ORIGINS: \"\(entry)\" is not an origin; list origins such as https://app.example.org (scheme, host, optional port), or *"
    }
}
