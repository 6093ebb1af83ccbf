import HummingbirdBcrypt
import NIOPosix

/// bcrypt, run on NIO's thread pool so that its deliberate slowness never blocks request tasks.
public struct PasswordHasher: Sendable {
    /// 12 in production; tests lower it to keep the suite fast.
    public let cost: UInt8

    public init(cost: UInt8 = 12) {
        self.cost = cost
    }

    public static let minimumLength = 10
    /// bcrypt reads only the first 72 bytes; longer passwords are refused rather than cut silently.
    public static let maximumBytes = 72

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, against hash: String?) async throws -> Bool {
        // Without a stored hash, compare against a fixed one anyway so that timing tells nothing.
        let stored = hash ?? Self.unmatchableHash
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: stored) }
        return hash != nil && matches
    }

    private static let unmatchableHash = "$2b$12$C6UzMDM.H6dfI/f/IKxGhuG6yQ1m3RPS6aUcPqt3MXu5ONFU0NSAK"

    /// Problems with a new password, as a message, or nil.
    public static func problem(with password: String) -> String? {
        if password.count < minimumLength { return "must be at least \(minimumLength) characters" }
        if password.utf8.count > maximumBytes { return "must be at most \(maximumBytes) bytes" }
        if password.unicodeScalars.contains("\u{0}") { return "must not contain a NUL character" }
        return nil
    }
}
