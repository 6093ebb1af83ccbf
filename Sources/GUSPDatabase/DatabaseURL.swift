import Foundation

/// Where the data lives, read from `GUSP_DATABASE_URL`: absent means SQLite at `./gusp.sqlite`.
public enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    public static let defaultSQLitePath = "./gusp.sqlite"

    /// Accepts `postgres://` / `postgresql://` URLs, `sqlite://PATH` / `sqlite:PATH`, or nothing.
    public init(url: String?) throws {
        guard let url, !url.isEmpty else {
            self = .sqlite(path: Self.defaultSQLitePath)
            return
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            self = .postgres(try PostgresLocation(url: url))
        } else if url.hasPrefix("sqlite://") {
            self = .sqlite(path: String(url.dropFirst("sqlite://".count)))
        } else if url.hasPrefix("sqlite:") {
            self = .sqlite(path: String(url.dropFirst("sqlite:".count)))
        } else {
            throw ConfigurationError("GUSP_DATABASE_URL must start with postgres://, postgresql:// or sqlite:")
        }
    }
}

/// The parts of a PostgreSQL URL gusp uses.
public struct PostgresLocation: Sendable, Equatable {
    public enum TLSMode: String, Sendable { case disable, prefer, require }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// Connections kept per process (`?pool_size=`), default 10.
    public var poolSize: Int

    public init(url: String) throws {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            throw ConfigurationError("GUSP_DATABASE_URL is not a valid PostgreSQL URL")
        }
        guard let user = components.user, !user.isEmpty else {
            throw ConfigurationError("GUSP_DATABASE_URL must name a user (postgres://USER:PASSWORD@HOST/DB)")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        self.database = path.isEmpty ? self.username : path
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        switch query["sslmode"] ?? "disable" {
        case "disable", "allow": self.tls = .disable
        case "prefer": self.tls = .prefer
        case "require", "verify-ca", "verify-full": self.tls = .require
        case let other: throw ConfigurationError("sslmode=\(other) is not supported (disable, prefer, require)")
        }
        if let size = query["pool_size"] {
            guard let value = Int(size), (1...500).contains(value) else {
                throw ConfigurationError("pool_size must be a whole number from 1 to 500")
            }
            self.poolSize = value
        } else {
            self.poolSize = 10
        }
    }
}
