import Foundation

/// Where a signalement is in its life (the field's states; `SignalementWorkflow` says who moves it).
public enum SignalementStatus: String, Sendable, Codable, CaseIterable {
    case submitted, acknowledged, assigned
    case inProgress = "in_progress"
    case resolved, closed, rejected, duplicate, reopened
    case needsArbitration = "needs_arbitration"

    /// Still waiting for someone to act: counts in the backlog, can be overdue, can be confirmed.
    public var isOpen: Bool {
        switch self {
        case .submitted, .acknowledged, .assigned, .inProgress, .reopened, .needsArbitration: true
        case .resolved, .closed, .rejected, .duplicate: false
        }
    }

    public static let open = allCases.filter(\.isOpen)
}

/// How a signalement reached gusp.
public enum SignalementChannel: String, Sendable, Codable, CaseIterable {
    case app, phone, agent, walk
    case partnerAPI = "partner_api"
    case open311
}

public enum SignalementPriority: String, Sendable, Codable, CaseIterable {
    case normal, high, urgent
}

/// How to reach the person who reported, kept apart from the signalement and purged after closure.
public struct ReporterContact: Sendable, Equatable {
    public var name: String?
    public var email: String?
    public var phone: String?
    /// The reporter agreed to be told by email what happens to the report (`contact.notify`).
    public var notify: Bool

    public init(name: String? = nil, email: String? = nil, phone: String? = nil, notify: Bool = false) {
        self.name = name
        self.email = email
        self.phone = phone
        self.notify = notify
    }

    public var isEmpty: Bool { name == nil && email == nil && phone == nil }
}

/// A reported dysfunction at a place. `reporterId` and `contact` are personal data: `redacted(for:)`
/// removes them for those who may not see them.
public struct Signalement: Sendable, Equatable {
    public var id: String
    /// What a resident quotes (`VAL-26-00042`: the deployment's prefix, the year of filing, a number).
    public var reference: String
    public var categoryId: String
    public var status: SignalementStatus
    public var priority: SignalementPriority
    public var channel: SignalementChannel
    public var description: String
    public var location: Position?
    public var address: String?
    public var territoryId: String?
    public var partnerId: String?
    public var reporterId: String?
    public var contact: ReporterContact?
    public var dueAt: Int64?
    public var duplicateOf: String?
    public var confirmationsCount: Int
    public var followersCount: Int
    public var photos: [Photo]
    public var resolvedAt: Int64?
    public var closedAt: Int64?
    public var version: Int
    public var createdAt: Int64
    public var updatedAt: Int64
    /// Whether the caller reported it (set per reader).
    public var isMine: Bool = false
    /// When it escalates next (kept by the commands, read by the escalation worker; never shown).
    var escalation = EscalationState()
    /// What indicators count of its past (kept by the commands; never shown).
    var history = SignalementHistory()

    public func isOverdue(at now: Int64) -> Bool {
        guard status.isOpen, let dueAt else { return false }
        return dueAt < now
    }
}

/// What a caller files.
public struct NewSignalement: Sendable {
    public var categoryId: String
    public var channel: SignalementChannel?
    public var description: String
    public var location: Position?
    public var address: String?
    /// Only without a location: the quartier a phone agent names.
    public var territoryId: String?
    public var priority: SignalementPriority?
    public var contact: ReporterContact?

    public init(
        categoryId: String, channel: SignalementChannel? = nil, description: String, location: Position? = nil,
        address: String? = nil, territoryId: String? = nil, priority: SignalementPriority? = nil,
        contact: ReporterContact? = nil
    ) {
        self.categoryId = categoryId
        self.channel = channel
        self.description = description
        self.location = location
        self.address = address
        self.territoryId = territoryId
        self.priority = priority
        self.contact = contact
    }
}

/// A correction by staff (`PATCH`). `nil` leaves a field as it is.
public struct SignalementChanges: Sendable {
    public var categoryId: String?
    public var priority: SignalementPriority?
    public var description: String?

    public init(categoryId: String? = nil, priority: SignalementPriority? = nil, description: String? = nil) {
        self.categoryId = categoryId
        self.priority = priority
        self.description = description
    }

    var changedFields: [String] {
        [("category_id", categoryId != nil), ("priority", priority != nil), ("description", description != nil)]
            .filter(\.1).map(\.0)
    }
}

/// An open signalement of the same category near a new one, offered to the filer as a possible duplicate.
public struct NearbySignalement: Sendable, Equatable {
    public var id: String
    public var status: SignalementStatus
    public var distanceMeters: Double
    public var createdAt: Int64
}

/// A stored photo of a signalement (the bytes live on disk, named by their hash).
public struct Photo: Sendable, Equatable {
    public var id: String
    public var signalementId: String
    public var contentHash: String
    public var mediaType: String
    public var width: Int
    public var height: Int
    public var byteSize: Int
    public var createdAt: Int64
}
