import Foundation
import SQLKit

/// The commands and queries of gusp over one database. Each command checks the caller's
/// permission, validates, and writes in one transaction with its events.
public struct Store: Sendable {
    public let database: any Database
    public let clock: any WallClock
    public let passwords: PasswordHasher
    public let settings: Settings

    public struct Settings: Sendable {
        /// How long a personal token from `POST /v1/auth/token` lives.
        public var tokenLifetime: TimeInterval
        /// How long a partner API key lives when its creator does not say.
        public var apiKeyLifetime: TimeInterval

        public init(tokenLifetime: TimeInterval = 30 * 86_400, apiKeyLifetime: TimeInterval = 365 * 86_400) {
            self.tokenLifetime = tokenLifetime
            self.apiKeyLifetime = apiKeyLifetime
        }
    }

    public init(database: any Database, clock: any WallClock = SystemWallClock(),
                passwords: PasswordHasher = PasswordHasher(), settings: Settings = Settings()) {
        self.database = database
        self.clock = clock
        self.passwords = passwords
        self.settings = settings
    }

    var nowMilliseconds: Int64 { clock.now().storedMilliseconds }
}
