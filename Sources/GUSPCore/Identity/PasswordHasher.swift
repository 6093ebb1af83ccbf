import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt, run on threads of its own: its deliberate slowness never blocks request tasks, nor queues
/// in front of SQLite's statements (which use NIO's shared pool). Logging in has two threads to itself;
/// everything else (hashing a new password, confirming a current one) shares a third, so that a flood
/// of password confirmations cannot take the capacity of everyone's logins.
public struct PasswordHasher: Sendable {
    /// What a bcrypt computation is for: each has its own threads.
    public enum Purpose: Sendable {
        case login
        case other
    }

    /// 12 in production; tests lower it to keep the suite fast.
    public let cost: UInt8
    /// A hash of a random password at the same cost, compared against when an email is unknown.
    private let unmatchableHash: String

    private static let loginThreads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        return pool
    }()

    private static let otherThreads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        return pool
    }()

    private static func threads(_ purpose: Purpose) -> NIOThreadPool {
        switch purpose {
        case .login: loginThreads
        case .other: otherThreads
        }
    }

    public init(cost: UInt8 = 12) {
        self.cost = cost
        self.unmatchableHash = Bcrypt.hash(UUID().uuidString, cost: cost)
    }

    public static let minimumLength = 10
    /// bcrypt reads only the first 72 bytes; longer passwords are refused rather than cut silently.
    public static let maximumBytes = 72

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await Self.threads(.other).runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, against hash: String?, for purpose: Purpose) async throws -> Bool {
        // Without a stored hash, compare against a fixed one anyway so that timing tells nothing.
        let stored = hash ?? unmatchableHash
        let matches = try await Self.threads(purpose).runIfActive { Bcrypt.verify(password, hash: stored) }
        return hash != nil && matches
    }

    /// Problems with a new password, as a message, or nil.
    public static func problem(with password: String) -> String? {
        if password.count < minimumLength { return "must be at least \(minimumLength) characters" }
        if password.utf8.count > maximumBytes { return "must be at most \(maximumBytes) bytes" }
        if password.unicodeScalars.contains("\u{0}") { return "must not contain a NUL character" }
        if CommonPasswords.contains(password) {
            return
                "is one of the most common passwords, the first ones tried by whoever guesses; choose another (a short sentence is easy to remember)"
        }
        return nil
    }
}
