/// Why a command was refused, in terms the HTTP layer maps to a status code.
public enum DomainError: Error, Sendable, Equatable {
    /// The resource does not exist or the caller may not know it does (404).
    case notFound(String)
    /// The caller sees the resource but may not do this (403).
    case forbidden(String)
    /// The request conflicts with the current state (409).
    case conflict(String)
    /// `If-Match` named another version than the current one (412).
    case versionMismatch(current: Int)
    /// The command needs `If-Match` (to say which version the caller read) and it is missing (428).
    case versionRequired(String)
    /// The link was good once: it was used or it expired (410).
    case gone(String)
}

/// The credentials were missing, wrong, expired or revoked (401).
public struct AuthenticationFailure: Error, Sendable, Equatable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
}

extension DomainError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .notFound(let detail), .forbidden(let detail), .conflict(let detail), .versionRequired(let detail), .gone(let detail): detail
        case .versionMismatch(let current): "the current version is \(current)"
        }
    }
}

extension AuthenticationFailure: CustomStringConvertible {
    public var description: String { reason }
}
