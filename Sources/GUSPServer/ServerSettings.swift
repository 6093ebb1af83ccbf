import Configuration
import Foundation
import GUSPCore
import GUSPDatabase
import Logging

/// Every setting gusp reads, with its environment variable, default and meaning.
/// `gusp --help` and the README's configuration table are printed from this list.
public struct SettingDescription: Sendable {
    public let variable: String
    public let defaultValue: String
    public let meaning: String
}

public struct ServerSettings: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var databaseURL: String?
    public var dataDirectory = "./data"
    public var logLevel = Logger.Level.info
    public var logFormat = LogFormat.logfmt
    public var bcryptCost: UInt8 = 12
    public var tokenLifetimeHours = 720
    public var apiKeyLifetimeDays = 365
    public var migrateOnStart = true
    public var sqliteReaders = 4
    public var acceptOutsideTerritories = false
    public var duplicateRadiusMeters = 50
    public var duplicateWindowDays = 30
    public var reopenWindowDays = 30
    public var open311 = Open311Settings()
    /// Percent of the commitment's delay between escalation levels 1 and 2, and 2 and 3.
    public var escalationLevel2Percent = 50
    public var escalationLevel3Percent = 50
    public var arbitrationEscalationHours = 48
    public var contactRetentionDays = 90
    public var securityLogRetentionDays = 365
    public var webhooksAllowPrivate = false
    public var workerIntervalSeconds = 5
    public var accountLimits = AccountLimits()
    public var shutdownGraceSeconds = 10
    public var idleTimeoutSeconds = 60
    public var smtpURL: String?
    public var mailFrom = "gusp@localhost"
    public var mailFromName = "GUSP"
    public var referencePrefix = "GUSP"
    public var feedbackDelayDays = 7
    public var accessLogRetentionDays = 365
    public var notificationRetentionDays = 365
    public var cors = CORSPolicy()
    /// Checked when read (`GUSP_SMTP_URL`, `GUSP_MAIL_FROM`).
    var mail: MailSettings?

    public enum LogFormat: String, Sendable { case logfmt, json }

    public static let descriptions: [SettingDescription] = [
        .init(
            variable: "GUSP_DATABASE_URL", defaultValue: "unset: SQLite file ./gusp.sqlite",
            meaning: "postgres://USER:PASSWORD@HOST:PORT/DB?sslmode=&pool_size= or sqlite:PATH"),
        .init(variable: "GUSP_HOST", defaultValue: "127.0.0.1", meaning: "address to listen on (--host)"),
        .init(variable: "GUSP_PORT", defaultValue: "8080", meaning: "port to listen on (--port)"),
        .init(variable: "GUSP_DATA_DIR", defaultValue: "./data", meaning: "directory for files (photos)"),
        .init(variable: "GUSP_LOG_LEVEL", defaultValue: "info", meaning: "trace, debug, info, notice, warning, error, critical"),
        .init(variable: "GUSP_LOG_FORMAT", defaultValue: "logfmt", meaning: "logfmt or json (one line per event)"),
        .init(variable: "GUSP_BCRYPT_COST", defaultValue: "12", meaning: "bcrypt cost of password hashes (4–31)"),
        .init(variable: "GUSP_TOKEN_LIFETIME_HOURS", defaultValue: "720", meaning: "lifetime of a token from POST /v1/auth/token"),
        .init(variable: "GUSP_API_KEY_LIFETIME_DAYS", defaultValue: "365", meaning: "default lifetime of a partner API key"),
        .init(variable: "GUSP_MIGRATE_ON_START", defaultValue: "true", meaning: "apply pending migrations when serving"),
        .init(variable: "GUSP_SQLITE_READERS", defaultValue: "4", meaning: "SQLite reader connections (writes use one more)"),
        .init(
            variable: "GUSP_ACCEPT_OUTSIDE_TERRITORIES", defaultValue: "false",
            meaning: "accept signalements outside every territory (they go to arbitration) instead of a 422"),
        .init(
            variable: "GUSP_DUPLICATE_RADIUS_METERS", defaultValue: "50", meaning: "distance within which open signalements are possible duplicates"),
        .init(variable: "GUSP_DUPLICATE_WINDOW_DAYS", defaultValue: "30", meaning: "age within which open signalements are possible duplicates"),
        .init(
            variable: "GUSP_PUBLIC_URL", defaultValue: "unset: http://GUSP_HOST:GUSP_PORT (never the request's Host)",
            meaning: "absolute base URL of this server, for Open311 discovery (https://gusp.example.org)"),
        .init(
            variable: "GUSP_OPEN311_CONTACT", defaultValue: "the GUSP coordination of this deployment",
            meaning: "who to contact, as Open311 discovery says"),
        .init(variable: "GUSP_REOPEN_WINDOW_DAYS", defaultValue: "30", meaning: "days after resolution during which the reporter may reopen"),
        .init(
            variable: "GUSP_ESCALATION_LEVEL2_PERCENT", defaultValue: "50",
            meaning: "escalation level 2 comes this percent of the commitment's delay after level 1 (the due date)"),
        .init(
            variable: "GUSP_ESCALATION_LEVEL3_PERCENT", defaultValue: "50",
            meaning: "escalation level 3 comes this percent of the delay after level 2"),
        .init(
            variable: "GUSP_ARBITRATION_ESCALATION_HOURS", defaultValue: "48",
            meaning: "a signalement waiting for arbitration this long escalates to the coordinators"),
        .init(variable: "GUSP_CONTACT_RETENTION_DAYS", defaultValue: "90", meaning: "days after closure when a reporter's contact data is purged"),
        .init(variable: "GUSP_SECURITY_LOG_RETENTION_DAYS", defaultValue: "365", meaning: "days the security log keeps an entry"),
        .init(
            variable: "GUSP_WEBHOOKS_ALLOW_PRIVATE", defaultValue: "false",
            meaning: "allow webhook targets on loopback, private and link-local addresses, and plain http"),
        .init(variable: "GUSP_WORKER_INTERVAL_SECONDS", defaultValue: "5", meaning: "how often the escalation worker looks for due work"),
        .init(
            variable: "GUSP_SHUTDOWN_GRACE_SECONDS", defaultValue: "10",
            meaning: "on SIGTERM, how long requests in flight may finish before what is left is cancelled"),
        .init(variable: "GUSP_IDLE_TIMEOUT_SECONDS", defaultValue: "60", meaning: "a connection idle this long is closed"),
        .init(
            variable: "GUSP_RESIDENT_WRITES_PER_HOUR", defaultValue: "60",
            meaning: "filings, comments and photos (each) one resident account may post per hour"),
        .init(
            variable: "GUSP_STAFF_WRITES_PER_HOUR", defaultValue: "3600",
            meaning: "the same for each staff account and partner system"),
        .init(
            variable: "GUSP_SMTP_URL", defaultValue: "unset: no email is sent",
            meaning:
                "mail relay, smtp://user:password@host:587 (STARTTLS required) or smtps://host:465; options ?starttls=offered, ?ca_file=/path; needs GUSP_PUBLIC_URL"
        ),
        .init(variable: "GUSP_MAIL_FROM", defaultValue: "gusp@localhost", meaning: "sender address of messages to residents"),
        .init(variable: "GUSP_MAIL_FROM_NAME", defaultValue: "GUSP", meaning: "sender name of messages to residents"),
        .init(
            variable: "GUSP_REFERENCE_PREFIX", defaultValue: "GUSP",
            meaning: "prefix of public references (2–8 capitals or digits), e.g. VAL-26-00042"),
        .init(variable: "GUSP_FEEDBACK_DELAY_DAYS", defaultValue: "7", meaning: "days after resolution when \"est-ce réglé ?\" is asked"),
        .init(
            variable: "GUSP_ACCESS_LOG_RETENTION_DAYS", defaultValue: "365",
            meaning: "days the log of staff reads of reporters' contacts keeps an entry"),
        .init(
            variable: "GUSP_NOTIFICATION_RETENTION_DAYS", defaultValue: "365",
            meaning: "days the record of a message (kind, date; never its text) and of a feedback answer is kept"),
        .init(
            variable: "GUSP_CORS_ORIGINS", defaultValue: "unset: no browser on another origin may call gusp",
            meaning: "origins whose pages may call gusp, comma-separated (https://app.example.org); * opens only the public routes"),
    ]

    public init() {}

    /// Reads the environment; a value that cannot be used is an error naming it.
    public init(environment: [String: String]) throws {
        let config = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment))
        host = config.string(forKey: "gusp.host", default: host)
        port = try Self.number(config.string(forKey: "gusp.port"), "GUSP_PORT", 1...65535) ?? port
        databaseURL = config.string(forKey: "gusp.database.url", isSecret: true)
        dataDirectory = config.string(forKey: "gusp.data.dir", default: dataDirectory)
        if let level = config.string(forKey: "gusp.log.level") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError("GUSP_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical")
            }
            logLevel = parsed
        }
        if let format = config.string(forKey: "gusp.log.format") {
            guard let parsed = LogFormat(rawValue: format.lowercased()) else {
                throw ConfigurationError("GUSP_LOG_FORMAT must be logfmt or json")
            }
            logFormat = parsed
        }
        bcryptCost = UInt8(try Self.number(config.string(forKey: "gusp.bcrypt.cost"), "GUSP_BCRYPT_COST", 4...31) ?? Int(bcryptCost))
        tokenLifetimeHours =
            try Self.number(config.string(forKey: "gusp.token.lifetime.hours"), "GUSP_TOKEN_LIFETIME_HOURS", 1...87_600) ?? tokenLifetimeHours
        apiKeyLifetimeDays =
            try Self.number(config.string(forKey: "gusp.api.key.lifetime.days"), "GUSP_API_KEY_LIFETIME_DAYS", 1...730) ?? apiKeyLifetimeDays
        sqliteReaders = try Self.number(config.string(forKey: "gusp.sqlite.readers"), "GUSP_SQLITE_READERS", 1...64) ?? sqliteReaders
        if let migrate = config.string(forKey: "gusp.migrate.on.start") {
            guard let value = Bool(migrate.lowercased()) else { throw ConfigurationError("GUSP_MIGRATE_ON_START must be true or false") }
            migrateOnStart = value
        }
        if let accept = config.string(forKey: "gusp.accept.outside.territories") {
            guard let value = Self.boolean(accept) else { throw ConfigurationError("GUSP_ACCEPT_OUTSIDE_TERRITORIES must be true or false") }
            acceptOutsideTerritories = value
        }
        duplicateRadiusMeters =
            try Self.number(config.string(forKey: "gusp.duplicate.radius.meters"), "GUSP_DUPLICATE_RADIUS_METERS", 1...5_000)
            ?? duplicateRadiusMeters
        duplicateWindowDays =
            try Self.number(config.string(forKey: "gusp.duplicate.window.days"), "GUSP_DUPLICATE_WINDOW_DAYS", 1...3_650)
            ?? duplicateWindowDays
        open311.publicURL = config.string(forKey: "gusp.public.url").flatMap { $0.isEmpty ? nil : $0 }
        if let url = open311.publicURL {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil,
                parsed.query == nil, parsed.fragment == nil
            else { throw ConfigurationError("GUSP_PUBLIC_URL must be an absolute http or https URL such as https://gusp.example.org") }
        }
        open311.contact = config.string(forKey: "gusp.open311.contact") ?? open311.contact
        reopenWindowDays =
            try Self.number(config.string(forKey: "gusp.reopen.window.days"), "GUSP_REOPEN_WINDOW_DAYS", 1...3_650)
            ?? reopenWindowDays
        escalationLevel2Percent =
            try Self.number(
                config.string(forKey: "gusp.escalation.level2.percent"), "GUSP_ESCALATION_LEVEL2_PERCENT",
                0...10_000) ?? escalationLevel2Percent
        escalationLevel3Percent =
            try Self.number(
                config.string(forKey: "gusp.escalation.level3.percent"), "GUSP_ESCALATION_LEVEL3_PERCENT",
                0...10_000) ?? escalationLevel3Percent
        arbitrationEscalationHours =
            try Self.number(
                config.string(forKey: "gusp.arbitration.escalation.hours"),
                "GUSP_ARBITRATION_ESCALATION_HOURS", 1...8_760) ?? arbitrationEscalationHours
        contactRetentionDays =
            try Self.number(config.string(forKey: "gusp.contact.retention.days"), "GUSP_CONTACT_RETENTION_DAYS", 1...3_650)
            ?? contactRetentionDays
        securityLogRetentionDays =
            try Self.number(config.string(forKey: "gusp.security.log.retention.days"), "GUSP_SECURITY_LOG_RETENTION_DAYS", 1...3_650)
            ?? securityLogRetentionDays
        if let allow = config.string(forKey: "gusp.webhooks.allow.private") {
            guard let value = Self.boolean(allow) else { throw ConfigurationError("GUSP_WEBHOOKS_ALLOW_PRIVATE must be true or false") }
            webhooksAllowPrivate = value
        }
        workerIntervalSeconds =
            try Self.number(config.string(forKey: "gusp.worker.interval.seconds"), "GUSP_WORKER_INTERVAL_SECONDS", 1...3_600)
            ?? workerIntervalSeconds
        shutdownGraceSeconds =
            try Self.number(config.string(forKey: "gusp.shutdown.grace.seconds"), "GUSP_SHUTDOWN_GRACE_SECONDS", 0...600)
            ?? shutdownGraceSeconds
        idleTimeoutSeconds =
            try Self.number(config.string(forKey: "gusp.idle.timeout.seconds"), "GUSP_IDLE_TIMEOUT_SECONDS", 1...3_600)
            ?? idleTimeoutSeconds
        accountLimits.residentWritesPerHour =
            try Self.number(
                config.string(forKey: "gusp.resident.writes.per.hour"), "GUSP_RESIDENT_WRITES_PER_HOUR", 1...100_000_000)
            ?? accountLimits.residentWritesPerHour
        accountLimits.staffWritesPerHour =
            try Self.number(
                config.string(forKey: "gusp.staff.writes.per.hour"), "GUSP_STAFF_WRITES_PER_HOUR", 1...100_000_000)
            ?? accountLimits.staffWritesPerHour
        smtpURL = config.string(forKey: "gusp.smtp.url").flatMap { $0.isEmpty ? nil : $0 }
        mailFrom = config.string(forKey: "gusp.mail.from", default: mailFrom)
        mailFromName = config.string(forKey: "gusp.mail.from.name", default: mailFromName)
        if let smtpURL {
            do { mail = try MailSettings(smtpURL: smtpURL, from: mailFrom, fromName: mailFromName) } catch { throw ConfigurationError("\(error)") }
        }
        referencePrefix = config.string(forKey: "gusp.reference.prefix", default: referencePrefix)
        guard PublicReference.isValidPrefix(referencePrefix) else {
            throw ConfigurationError("GUSP_REFERENCE_PREFIX must be 2 to 8 capital letters or digits, starting with a letter (e.g. VAL)")
        }
        feedbackDelayDays =
            try Self.number(config.string(forKey: "gusp.feedback.delay.days"), "GUSP_FEEDBACK_DELAY_DAYS", 1...365) ?? feedbackDelayDays
        // Asked later than a "non" may reopen, the question could never act.
        guard feedbackDelayDays < reopenWindowDays else {
            throw ConfigurationError("GUSP_FEEDBACK_DELAY_DAYS must be less than GUSP_REOPEN_WINDOW_DAYS (\(reopenWindowDays))")
        }
        // Messages carry links to the public pages: they must name the address residents reach.
        if mail != nil, open311.publicURL == nil {
            throw ConfigurationError("GUSP_SMTP_URL needs GUSP_PUBLIC_URL: messages carry links residents open (https://gusp.example.org)")
        }
        accessLogRetentionDays =
            try Self.number(config.string(forKey: "gusp.access.log.retention.days"), "GUSP_ACCESS_LOG_RETENTION_DAYS", 1...3_650)
            ?? accessLogRetentionDays
        notificationRetentionDays =
            try Self.number(config.string(forKey: "gusp.notification.retention.days"), "GUSP_NOTIFICATION_RETENTION_DAYS", 1...3_650)
            ?? notificationRetentionDays
        if let origins = config.string(forKey: "gusp.cors.origins") {
            do { cors = try CORSPolicy(list: origins) } catch { throw ConfigurationError(error.description) }
        }
    }

    private static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "1", "yes": true
        case "false", "0", "no": false
        default: nil
        }
    }

    private static func number(_ text: String?, _ name: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    public var storeSettings: Store.Settings {
        var settings = Store.Settings(
            tokenLifetime: TimeInterval(tokenLifetimeHours) * 3600,
            apiKeyLifetime: TimeInterval(apiKeyLifetimeDays) * 86_400,
            acceptOutsideTerritories: acceptOutsideTerritories, duplicateRadius: Double(duplicateRadiusMeters),
            duplicateWindow: TimeInterval(duplicateWindowDays) * 86_400, reopenWindow: TimeInterval(reopenWindowDays) * 86_400,
            dataDirectory: dataDirectory,
            escalation: EscalationPolicy(
                level2After: Double(escalationLevel2Percent) / 100,
                level3After: Double(escalationLevel3Percent) / 100,
                arbitrationAfter: TimeInterval(arbitrationEscalationHours) * 3_600),
            webhooksAllowPrivate: webhooksAllowPrivate, contactRetention: TimeInterval(contactRetentionDays) * 86_400,
            securityLogRetention: TimeInterval(securityLogRetentionDays) * 86_400)
        settings.residents.referencePrefix = referencePrefix
        settings.residents.publicURL = open311.publicURL ?? "http://\(host):\(port)"
        settings.residents.mail = mail
        settings.residents.feedbackDelay = TimeInterval(feedbackDelayDays) * 86_400
        settings.residents.accessLogRetention = TimeInterval(accessLogRetentionDays) * 86_400
        settings.residents.notificationRetention = TimeInterval(notificationRetentionDays) * 86_400
        return settings
    }

    /// Opens the configured database (creating the SQLite file when needed).
    public func openDatabase(logger: Logger) async throws -> any Database {
        switch try DatabaseLocation(url: databaseURL) {
        case .sqlite(let path): return try await SQLiteEngine.open(path: path, readers: sqliteReaders, logger: logger)
        case .postgres(let location): return try PostgresEngine(location: location, logger: logger)
        }
    }
}
