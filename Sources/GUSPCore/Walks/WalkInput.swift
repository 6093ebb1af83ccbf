import Foundation

/// A walk as a coordinator plans it.
public struct NewWalk: Sendable {
    public var kind: WalkKind
    public var title: String
    public var territoryId: String
    public var startsAt: Date
    public var endsAt: Date
    public var timeOfDay: WalkTimeOfDay
    public var meetingPoint: String?
    /// A GeoJSON LineString.
    public var routeJSON: [UInt8]?
    public var stops: [WalkStop]
    /// Defaults to the seeded grid of its kind.
    public var gridId: String?
    public var organiserPartnerId: String
    public var invitedPartnerIds: [String]
    public var referentUserId: String?
    public var conventionId: String?
    public var seriesId: String?

    public init(
        kind: WalkKind, title: String, territoryId: String, startsAt: Date, endsAt: Date, timeOfDay: WalkTimeOfDay = .day,
        meetingPoint: String? = nil, routeJSON: [UInt8]? = nil, stops: [WalkStop] = [], gridId: String? = nil,
        organiserPartnerId: String, invitedPartnerIds: [String] = [], referentUserId: String? = nil, conventionId: String? = nil,
        seriesId: String? = nil
    ) {
        self.kind = kind
        self.title = title
        self.territoryId = territoryId
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.timeOfDay = timeOfDay
        self.meetingPoint = meetingPoint
        self.routeJSON = routeJSON
        self.stops = stops
        self.gridId = gridId
        self.organiserPartnerId = organiserPartnerId
        self.invitedPartnerIds = invitedPartnerIds
        self.referentUserId = referentUserId
        self.conventionId = conventionId
        self.seriesId = seriesId
    }
}

/// A merge patch of a planned walk (nil leaves a field; `.some(nil)` clears a nullable one).
public struct WalkChanges: Sendable {
    public var title: String?
    public var startsAt: Date?
    public var endsAt: Date?
    public var timeOfDay: WalkTimeOfDay?
    public var meetingPoint: String??
    public var routeJSON: [UInt8]??
    public var stops: [WalkStop]?
    public var invitedPartnerIds: [String]?
    public var referentUserId: String??

    public init(
        title: String? = nil, startsAt: Date? = nil, endsAt: Date? = nil, timeOfDay: WalkTimeOfDay? = nil,
        meetingPoint: String?? = nil, routeJSON: [UInt8]?? = nil, stops: [WalkStop]? = nil, invitedPartnerIds: [String]? = nil,
        referentUserId: String?? = nil
    ) {
        self.title = title
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.timeOfDay = timeOfDay
        self.meetingPoint = meetingPoint
        self.routeJSON = routeJSON
        self.stops = stops
        self.invitedPartnerIds = invitedPartnerIds
        self.referentUserId = referentUserId
    }

    var isEmpty: Bool {
        title == nil && startsAt == nil && endsAt == nil && timeOfDay == nil && meetingPoint == nil && routeJSON == nil && stops == nil
            && invitedPartnerIds == nil && referentUserId == nil
    }
}

public struct WalkFilter: Sendable {
    /// In this territory or one below it.
    public var territoryId: String?
    /// Organised by this partner or with it invited.
    public var partnerId: String?
    public var kind: WalkKind?
    public var status: WalkStatus?
    public var seriesId: String?
    public var updatedSince: Date?

    public init(
        territoryId: String? = nil, partnerId: String? = nil, kind: WalkKind? = nil, status: WalkStatus? = nil, seriesId: String? = nil,
        updatedSince: Date? = nil
    ) {
        self.territoryId = territoryId
        self.partnerId = partnerId
        self.kind = kind
        self.status = status
        self.seriesId = seriesId
        self.updatedSince = updatedSince
    }
}
