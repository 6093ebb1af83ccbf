import Foundation

/// A meeting as a coordinator plans it. With `previousMeetingId`, the open items of that meeting
/// (no decision yet) and the open engagements it decided are carried onto the new agenda.
public struct NewMeeting: Sendable {
    public var kind: MeetingKind
    public var title: String
    public var territoryIds: [String]
    public var conventionId: String?
    public var startsAt: Date
    public var chairPartnerId: String
    public var invitedPartnerIds: [String]
    public var previousMeetingId: String?

    public init(
        kind: MeetingKind, title: String, territoryIds: [String], conventionId: String? = nil, startsAt: Date, chairPartnerId: String,
        invitedPartnerIds: [String] = [], previousMeetingId: String? = nil
    ) {
        self.kind = kind
        self.title = title
        self.territoryIds = territoryIds
        self.conventionId = conventionId
        self.startsAt = startsAt
        self.chairPartnerId = chairPartnerId
        self.invitedPartnerIds = invitedPartnerIds
        self.previousMeetingId = previousMeetingId
    }
}

/// A planned meeting's changes; nil leaves a field as it is.
public struct MeetingChanges: Sendable {
    public var title: String?
    public var startsAt: Date?
    public var invitedPartnerIds: [String]?
    /// The partners (organisations) present: recorded once the meeting is held.
    public var presentPartnerIds: [String]?

    public init(title: String? = nil, startsAt: Date? = nil, invitedPartnerIds: [String]? = nil, presentPartnerIds: [String]? = nil) {
        self.title = title
        self.startsAt = startsAt
        self.invitedPartnerIds = invitedPartnerIds
        self.presentPartnerIds = presentPartnerIds
    }

    var isEmpty: Bool { title == nil && startsAt == nil && invitedPartnerIds == nil && presentPartnerIds == nil }
}

public struct MeetingFilter: Sendable {
    public var territoryId: String?
    public var partnerId: String?
    public var kind: MeetingKind?
    public var status: MeetingStatus?
    public var updatedSince: Date?

    public init(
        territoryId: String? = nil, partnerId: String? = nil, kind: MeetingKind? = nil, status: MeetingStatus? = nil, updatedSince: Date? = nil
    ) {
        self.territoryId = territoryId
        self.partnerId = partnerId
        self.kind = kind
        self.status = status
        self.updatedSince = updatedSince
    }
}

/// The thresholds of agenda generation.
public struct AgendaRules: Sendable {
    /// An open signalement past its due date by more than this many days is an item.
    public var overdueDays: Int
    /// A hot spot is at least this many signalements of one category within 50 m in 90 days.
    public var hotSpotMinimum: Int

    public init(overdueDays: Int = 7, hotSpotMinimum: Int = 3) {
        self.overdueDays = overdueDays
        self.hotSpotMinimum = hotSpotMinimum
    }
}

/// An item added by hand: a title, what it is about, optionally a signalement, and whether it is for the
/// coordination, the elected officials and the partners present only.
public struct NewAgendaItem: Sendable {
    public var title: String
    public var detail: String?
    public var signalementId: String?
    public var isConfidential: Bool

    public init(title: String, detail: String? = nil, signalementId: String? = nil, isConfidential: Bool = false) {
        self.title = title
        self.detail = detail
        self.signalementId = signalementId
        self.isConfidential = isConfidential
    }
}

/// A decision on an item: `assign` names the partner, `engagement` the engagement's terms, `no_action`
/// a note.
public struct NewDecision: Sendable {
    public var kind: DecisionKind
    public var note: String?
    public var partnerId: String?
    public var engagement: NewEngagement?

    public init(kind: DecisionKind, note: String? = nil, partnerId: String? = nil, engagement: NewEngagement? = nil) {
        self.kind = kind
        self.note = note
        self.partnerId = partnerId
        self.engagement = engagement
    }
}
