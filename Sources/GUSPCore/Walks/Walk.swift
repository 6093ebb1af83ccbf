import Foundation

/// A diagnostic en marchant (residents, associations, services and élus observe a quartier's strong
/// points and dysfunctions) or a marche exploratoire (often of women, often at night, several walks
/// sharing one grid and one report: a series).
public enum WalkKind: String, Sendable, CaseIterable {
    case diagnostic
    case exploratory
}

public enum WalkTimeOfDay: String, Sendable, CaseIterable {
    case day, evening, night
}

/// `planned → held → report_published → closed`, or `planned → cancelled`.
public enum WalkStatus: String, Sendable, CaseIterable {
    case planned, held
    case reportPublished = "report_published"
    case closed, cancelled

    public var next: Set<WalkStatus> {
        switch self {
        case .planned: [.held, .cancelled]
        case .held: [.reportPublished]
        case .reportPublished: [.closed]
        case .closed, .cancelled: []
        }
    }

    /// Observations are added while the walk is planned (preparation) or held (transcription).
    public var takesObservations: Bool { self == .planned || self == .held }
}

/// Who came, counted, never named.
public enum AttendeeRole: String, Sendable, CaseIterable {
    case resident, association, bailleur, ville, epci, etat, elected, other
}

public enum AgeBand: String, Sendable, CaseIterable {
    case child, youth, adult, senior
}

public struct WalkStop: Sendable, Equatable {
    public var label: String
    public var location: Position

    public init(label: String, location: Position) {
        self.label = label
        self.location = location
    }
}

/// A count of participants of one role (and optionally one age band).
public struct AttendanceCount: Sendable, Equatable {
    public var role: AttendeeRole
    public var ageBand: AgeBand?
    public var count: Int

    public init(role: AttendeeRole, ageBand: AgeBand? = nil, count: Int) {
        self.role = role
        self.ageBand = ageBand
        self.count = count
    }
}

public struct Walk: Sendable, Equatable {
    public var id: String
    public var kind: WalkKind
    public var title: String
    public var territoryId: String
    public var startsAt: Int64
    public var endsAt: Int64
    public var timeOfDay: WalkTimeOfDay
    public var meetingPoint: String?
    /// A GeoJSON LineString, as stored (compact JSON text).
    public var routeJSON: String?
    public var stops: [WalkStop]
    public var gridId: String
    public var organiserPartnerId: String
    public var invitedPartnerIds: [String]
    /// The partners (organisations) present on the day.
    public var presentPartnerIds: [String]
    /// The élu référent who walks.
    public var referentUserId: String?
    public var conventionId: String?
    /// Walks of one marche exploratoire share it.
    public var seriesId: String?
    public var status: WalkStatus
    public var statusNote: String?
    public var attendance: [AttendanceCount]
    public var version: Int
    public var createdAt: Int64
    public var updatedAt: Int64

    public var participantCount: Int { attendance.reduce(0) { $0 + $1.count } }

    /// Reading: the territory's officials, the organiser and the invited partners.
    var scope: ResourceScope {
        ResourceScope(partnerIds: Set(invitedPartnerIds + presentPartnerIds).union([organiserPartnerId]), territoryIds: [territoryId])
    }

    /// Residents see walks whose report is published.
    var isPublic: Bool { status == .reportPublished || status == .closed }
}
