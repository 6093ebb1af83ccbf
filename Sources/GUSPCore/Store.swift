import Foundation
import GUSPDatabase
import SQLKit

/// The commands and queries of gusp over one database. Each command checks the caller's
/// permission, validates, and writes in one transaction with its events.
public struct Store: Sendable {
    public let database: any Database
    public let clock: any WallClock
    public let passwords: PasswordHasher
    public let settings: Settings
    /// Gathers concurrent filings into shared transactions.
    let intake: IntakeBatcher
    /// Reference data and identities kept in memory (see `ReferenceCache`).
    let cache: ReferenceCache
    /// Open signalements of the duplicate window, by grid cell (see `RecentSignalements`).
    let recent: RecentSignalements
    /// Public reference numbers reserved and not yet given (see `ReferenceNumbers`).
    let references: ReferenceNumbers

    public struct Settings: Sendable {
        /// How long a personal token from `POST /v1/auth/token` lives.
        public var tokenLifetime: TimeInterval
        /// How long a partner API key lives when its creator does not say.
        public var apiKeyLifetime: TimeInterval
        /// Whether a signalement outside every territory (or with no location nor territory) is accepted,
        /// going to arbitration, rather than refused with a 422.
        public var acceptOutsideTerritories: Bool
        /// Open signalements of the same category this close (metres) and this recent are offered as
        /// possible duplicates of a new one.
        public var duplicateRadius: Double
        public var duplicateWindow: TimeInterval
        /// How long after resolution the reporting resident may reopen a signalement.
        public var reopenWindow: TimeInterval
        /// Where photos are stored (`photos/` below it).
        public var dataDirectory: String
        /// When unresolved signalements escalate (conventions may set their own fractions).
        public var escalation: EscalationPolicy
        /// Webhook delivery: private and loopback targets (and plain http) allowed (tests, closed networks).
        public var webhooksAllowPrivate: Bool
        /// How long after closure a reporter's contact data is purged.
        public var contactRetention: TimeInterval
        /// How long security log entries are kept.
        public var securityLogRetention: TimeInterval
        /// What residents are told and how (references, email, "est-ce réglé ?", the access log).
        public var residents = ResidentSettings()

        public init(
            tokenLifetime: TimeInterval = 30 * 86_400, apiKeyLifetime: TimeInterval = 365 * 86_400,
            acceptOutsideTerritories: Bool = false, duplicateRadius: Double = 50, duplicateWindow: TimeInterval = 30 * 86_400,
            reopenWindow: TimeInterval = 30 * 86_400, dataDirectory: String = "./data",
            escalation: EscalationPolicy = EscalationPolicy(), webhooksAllowPrivate: Bool = false,
            contactRetention: TimeInterval = 90 * 86_400, securityLogRetention: TimeInterval = 365 * 86_400
        ) {
            self.securityLogRetention = securityLogRetention
            self.escalation = escalation
            self.webhooksAllowPrivate = webhooksAllowPrivate
            self.contactRetention = contactRetention
            self.tokenLifetime = tokenLifetime
            self.apiKeyLifetime = apiKeyLifetime
            self.acceptOutsideTerritories = acceptOutsideTerritories
            self.duplicateRadius = duplicateRadius
            self.duplicateWindow = duplicateWindow
            self.reopenWindow = reopenWindow
            self.dataDirectory = dataDirectory
        }
    }

    public init(
        database: any Database, clock: any WallClock = SystemWallClock(),
        passwords: PasswordHasher = PasswordHasher(), settings: Settings = Settings()
    ) {
        self.database = database
        self.clock = clock
        self.passwords = passwords
        self.settings = settings
        self.intake = IntakeBatcher(database: database)
        self.cache = ReferenceCache()
        self.recent = RecentSignalements()
        self.references = ReferenceNumbers()
    }

    package var nowMilliseconds: Int64 { clock.now().storedMilliseconds }
}
