import Foundation

/// An engagement as a coordinator writes it (or as a conversion makes it).
public struct NewEngagement: Sendable {
    public var title: String
    public var description: String?
    public var territoryId: String
    public var leadPartnerId: String
    public var partnerIds: [String]
    public var dueDate: String
    public var signalementIds: [String]
    public var actionSheetId: String?
    public var isPublic: Bool

    public init(
        title: String, description: String? = nil, territoryId: String, leadPartnerId: String, partnerIds: [String] = [],
        dueDate: String, signalementIds: [String] = [], actionSheetId: String? = nil, isPublic: Bool = false
    ) {
        self.title = title
        self.description = description
        self.territoryId = territoryId
        self.leadPartnerId = leadPartnerId
        self.partnerIds = partnerIds
        self.dueDate = dueDate
        self.signalementIds = signalementIds
        self.actionSheetId = actionSheetId
        self.isPublic = isPublic
    }
}

/// A merge patch of an engagement: nil leaves a field as it is; `.some(nil)` clears a nullable one.
/// The lead partner's staff change only `status` (and its note); the rest is the coordination's.
public struct EngagementChanges: Sendable {
    public var title: String?
    public var description: String??
    public var leadPartnerId: String?
    public var partnerIds: [String]?
    public var dueDate: String?
    public var status: EngagementStatus?
    public var statusNote: String?
    public var signalementIds: [String]?
    public var actionSheetId: String??
    public var isPublic: Bool?

    public init(
        title: String? = nil, description: String?? = nil, leadPartnerId: String? = nil, partnerIds: [String]? = nil,
        dueDate: String? = nil, status: EngagementStatus? = nil, statusNote: String? = nil, signalementIds: [String]? = nil,
        actionSheetId: String?? = nil, isPublic: Bool? = nil
    ) {
        self.title = title
        self.description = description
        self.leadPartnerId = leadPartnerId
        self.partnerIds = partnerIds
        self.dueDate = dueDate
        self.status = status
        self.statusNote = statusNote
        self.signalementIds = signalementIds
        self.actionSheetId = actionSheetId
        self.isPublic = isPublic
    }

    /// Whether it changes anything but the status.
    var touchesTerms: Bool {
        title != nil || description != nil || leadPartnerId != nil || partnerIds != nil || dueDate != nil || signalementIds != nil
            || actionSheetId != nil || isPublic != nil
    }

    var isEmpty: Bool { !touchesTerms && status == nil && statusNote == nil }
}

/// What `GET /v1/engagements` filters on.
public struct EngagementFilter: Sendable {
    /// In this territory or one below it.
    public var territoryId: String?
    /// Led by this partner or with it among the others.
    public var partnerId: String?
    public var status: EngagementStatus?
    public var source: EngagementSource?
    public var sourceId: String?
    /// true: open past their due day; false: not overdue.
    public var overdue: Bool?
    /// Due on or before this day.
    public var dueBefore: String?
    public var updatedSince: Date?

    public init(
        territoryId: String? = nil, partnerId: String? = nil, status: EngagementStatus? = nil, source: EngagementSource? = nil,
        sourceId: String? = nil, overdue: Bool? = nil, dueBefore: String? = nil, updatedSince: Date? = nil
    ) {
        self.territoryId = territoryId
        self.partnerId = partnerId
        self.status = status
        self.source = source
        self.sourceId = sourceId
        self.overdue = overdue
        self.dueBefore = dueBefore
        self.updatedSince = updatedSince
    }
}
