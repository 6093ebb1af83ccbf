/// A fiche-action as a client writes it: without `id` it is new; with one (in an amendment or a draft
/// change) it replaces the terms of that sheet.
public struct ActionSheetDraft: Sendable, Equatable {
    public var id: String?
    public var axis: String?
    public var title: String
    public var objective: String
    public var leadPartnerId: String
    public var partnerIds: [String]
    public var startDate: String?
    public var endDate: String?
    public var budgetCents: Int64?
    public var indicators: [ActionSheetIndicator]

    public init(
        id: String? = nil, axis: String?, title: String, objective: String, leadPartnerId: String, partnerIds: [String] = [],
        startDate: String? = nil, endDate: String? = nil, budgetCents: Int64? = nil, indicators: [ActionSheetIndicator] = []
    ) {
        self.id = id
        self.axis = axis
        self.title = title
        self.objective = objective
        self.leadPartnerId = leadPartnerId
        self.partnerIds = partnerIds
        self.startDate = startDate
        self.endDate = endDate
        self.budgetCents = budgetCents
        self.indicators = indicators
    }
}

public struct NewConvention: Sendable {
    public var kind: ConventionKind
    public var title: String
    public var summary: String?
    public var startDate: String
    public var endDate: String
    public var territoryIds: [String]
    public var signatoryIds: [String]
    public var bailleurId: String?
    public var budgetsPublic: Bool
    public var axes: [ConventionAxis]
    public var serviceCommitments: [ServiceCommitment]
    public var actionSheets: [ActionSheetDraft]
    public var escalation: ConventionEscalation?

    public init(
        kind: ConventionKind, title: String, summary: String? = nil, startDate: String, endDate: String, territoryIds: [String],
        signatoryIds: [String], bailleurId: String? = nil, budgetsPublic: Bool = false, axes: [ConventionAxis] = [],
        serviceCommitments: [ServiceCommitment] = [], actionSheets: [ActionSheetDraft] = [], escalation: ConventionEscalation? = nil
    ) {
        self.escalation = escalation
        self.kind = kind
        self.title = title
        self.summary = summary
        self.startDate = startDate
        self.endDate = endDate
        self.territoryIds = territoryIds
        self.signatoryIds = signatoryIds
        self.bailleurId = bailleurId
        self.budgetsPublic = budgetsPublic
        self.axes = axes
        self.serviceCommitments = serviceCommitments
        self.actionSheets = actionSheets
    }
}

/// Changes to what a convention says: to a draft directly (`PATCH`), or to a signed convention through
/// an amendment. `nil` leaves a field as it is; `action_sheets` adds or changes the sheets it names.
public struct ConventionChanges: Sendable {
    public var title: String?
    public var summary: String??
    public var startDate: String?
    public var endDate: String?
    public var territoryIds: [String]?
    public var axes: [ConventionAxis]?
    public var serviceCommitments: [ServiceCommitment]?
    public var actionSheets: [ActionSheetDraft]?
    public var escalation: ConventionEscalation?

    public init(
        title: String? = nil, summary: String?? = nil, startDate: String? = nil, endDate: String? = nil,
        territoryIds: [String]? = nil, axes: [ConventionAxis]? = nil, serviceCommitments: [ServiceCommitment]? = nil,
        actionSheets: [ActionSheetDraft]? = nil, escalation: ConventionEscalation? = nil
    ) {
        self.escalation = escalation
        self.title = title
        self.summary = summary
        self.startDate = startDate
        self.endDate = endDate
        self.territoryIds = territoryIds
        self.axes = axes
        self.serviceCommitments = serviceCommitments
        self.actionSheets = actionSheets
    }

    /// The fields named, as the client wrote them.
    public var changedFields: [String] {
        var fields: [String] = []
        if title != nil { fields.append("title") }
        if summary != nil { fields.append("summary") }
        if startDate != nil { fields.append("start_date") }
        if endDate != nil { fields.append("end_date") }
        if territoryIds != nil { fields.append("territory_ids") }
        if axes != nil { fields.append("axes") }
        if serviceCommitments != nil { fields.append("service_commitments") }
        if actionSheets != nil { fields.append("action_sheets") }
        if escalation != nil { fields.append("escalation") }
        return fields
    }
}

/// A change to a draft beyond its content: signatories, the ATFPB bailleur, budget publication.
public struct ConventionDraftChanges: Sendable {
    public var content: ConventionChanges
    public var signatoryIds: [String]?
    public var bailleurId: String?
    public var budgetsPublic: Bool?

    public init(
        content: ConventionChanges = ConventionChanges(), signatoryIds: [String]? = nil, bailleurId: String? = nil,
        budgetsPublic: Bool? = nil
    ) {
        self.content = content
        self.signatoryIds = signatoryIds
        self.bailleurId = bailleurId
        self.budgetsPublic = budgetsPublic
    }
}

/// An avenant: its number (optional; when given it must be the next one), what it is about, and the changes.
public struct NewAmendment: Sendable {
    public var number: Int?
    public var summary: String
    public var changes: ConventionChanges

    public init(number: Int? = nil, summary: String, changes: ConventionChanges) {
        self.number = number
        self.summary = summary
        self.changes = changes
    }
}

/// Progress of a fiche-action, reported by its lead partner or a coordinator.
public struct ActionSheetProgress: Sendable {
    public var status: ActionSheetStatus?
    public var progress: Int?
    public init(status: ActionSheetStatus? = nil, progress: Int? = nil) {
        self.status = status
        self.progress = progress
    }
}
