import Foundation

/// A GUSP convention (multi-party) or an ATFPB one (a bailleur's, for its property-tax abatement).
public enum ConventionKind: String, Sendable, Codable, CaseIterable {
    case gusp, atfpb
}

/// `draft → signed → active → expired | terminated`. Only `draft`, `signed` and `terminated` are decided
/// by people; `active` and `expired` follow from the period and today's date (Europe/Paris).
public enum ConventionStatus: String, Sendable, Codable, CaseIterable {
    case draft, signed, active, expired, terminated
}

/// What people decide about a convention, as stored; the status shown adds the calendar.
public enum ConventionState: String, Sendable, Codable {
    case draft, signed, terminated

    public func status(start: String, end: String, today: String) -> ConventionStatus {
        switch self {
        case .draft: return .draft
        case .terminated: return .terminated
        case .signed:
            if today < start { return .signed }
            return today > end ? .expired : .active
        }
    }
}

/// An axis of a GUSP convention (free), or one of the eight national ATFPB axes.
public struct ConventionAxis: Sendable, Codable, Equatable {
    public var code: String
    public var title: String
    public init(code: String, title: String) {
        self.code = code
        self.title = title
    }
}

/// A promised delay for a category (and its subcategories), for one partner or for all, applying in the
/// convention's territories while it is in force.
public struct ServiceCommitment: Sendable, Codable, Equatable {
    public var categoryId: String
    public var partnerId: String?
    public var delay: Commitment

    public init(categoryId: String, partnerId: String?, delay: Commitment) {
        self.categoryId = categoryId
        self.partnerId = partnerId
        self.delay = delay
    }

    enum CodingKeys: String, CodingKey {
        case categoryId = "category_id", partnerId = "partner_id", delay
    }
}

/// An indicator of an action sheet: what is measured, in words, and the target.
public struct ActionSheetIndicator: Sendable, Codable, Equatable {
    public var label: String
    public var target: String?
    public init(label: String, target: String?) {
        self.label = label
        self.target = target
    }
}

/// The signed part of a fiche-action (changed only by the convention's versions); its progress is apart.
public struct ActionSheetTerms: Sendable, Codable, Equatable {
    public var id: String
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
        id: String, axis: String?, title: String, objective: String, leadPartnerId: String, partnerIds: [String],
        startDate: String?, endDate: String?, budgetCents: Int64?, indicators: [ActionSheetIndicator]
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

    enum CodingKeys: String, CodingKey {
        case id, axis, title, objective, indicators
        case leadPartnerId = "lead_partner_id", partnerIds = "partner_ids", startDate = "start_date", endDate = "end_date"
        case budgetCents = "budget_cents"
    }
}

/// A convention's own escalation delays, for the signalements its commitments cover: level 2 comes this
/// fraction of the commitment's delay after level 1, level 3 this fraction after level 2.
public struct ConventionEscalation: Sendable, Codable, Equatable {
    public var level2After: Double
    public var level3After: Double
    public init(level2After: Double, level3After: Double) {
        self.level2After = level2After
        self.level3After = level3After
    }

    enum CodingKeys: String, CodingKey {
        case level2After = "level2_after", level3After = "level3_after"
    }
}

/// Everything a version of a convention says: what the signatories sign, and what amendments change.
public struct ConventionContent: Sendable, Codable, Equatable {
    public var title: String
    public var summary: String?
    public var startDate: String
    public var endDate: String
    public var territoryIds: [String]
    public var axes: [ConventionAxis]
    public var serviceCommitments: [ServiceCommitment]
    public var actionSheets: [ActionSheetTerms]
    /// Escalation delays of its own (else the deployment's).
    public var escalation: ConventionEscalation?

    public init(
        title: String, summary: String?, startDate: String, endDate: String, territoryIds: [String],
        axes: [ConventionAxis], serviceCommitments: [ServiceCommitment], actionSheets: [ActionSheetTerms],
        escalation: ConventionEscalation? = nil
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

    enum CodingKeys: String, CodingKey {
        case title, summary, axes
        case startDate = "start_date", endDate = "end_date", territoryIds = "territory_ids"
        case serviceCommitments = "service_commitments", actionSheets = "action_sheets", escalation
    }
}

/// One signature of one version by one signatory partner.
public struct ConventionSignature: Sendable, Equatable {
    public var partnerId: String
    public var signedBy: String
    public var signerRole: Role
    public var signedAt: Int64
}

/// Where a fiche-action stands (not part of what is signed).
public enum ActionSheetStatus: String, Sendable, Codable, CaseIterable {
    case planned
    case inProgress = "in_progress"
    case done
    case abandoned
}

/// A dated note on a fiche-action's progress.
public struct ActionSheetUpdate: Sendable, Equatable {
    public var id: String
    public var day: String
    public var note: String
    public var progress: Int?
    public var authorId: String?
    public var createdAt: Int64
}

/// A fiche-action: its signed terms and its progress.
public struct ActionSheet: Sendable, Equatable {
    public var terms: ActionSheetTerms
    public var status: ActionSheetStatus
    public var progress: Int
    public var updates: [ActionSheetUpdate]
    public var version: Int
}

/// A version of a convention: the first (the original text) or an amendment, in force once every
/// signatory has signed it.
public struct ConventionVersion: Sendable, Equatable {
    public var number: Int
    public var summary: String?
    /// The fields this version changed (empty for the original).
    public var changes: [String]
    public var content: ConventionContent
    public var proposedBy: String?
    public var proposedAt: Int64
    public var inForceAt: Int64?
    /// An amendment withdrawn before it took effect (its number is not reused).
    public var withdrawnAt: Int64? = nil
    public var signatures: [ConventionSignature]
}

/// A convention as read: the content in force (or the draft), its signatories and their signatures of
/// that content, the pending amendment if any, and the progress of its action sheets.
public struct Convention: Sendable, Equatable {
    public var id: String
    public var kind: ConventionKind
    public var status: ConventionStatus
    public var content: ConventionContent
    public var signatoryIds: [String]
    public var bailleurId: String?
    public var budgetsPublic: Bool
    /// The version in force (1 for a draft and until the first amendment takes effect).
    public var version: Int
    /// Grows with every change, signatures included: the ETag.
    public var revision: Int
    public var signatures: [ConventionSignature]
    public var pendingAmendment: ConventionVersion?
    public var actionSheets: [ActionSheet]
    public var signedAt: Int64?
    public var terminatedAt: Int64?
    public var createdAt: Int64
    public var updatedAt: Int64
    /// Whether budgets were removed because this reader may not see them.
    public var budgetsHidden: Bool = false
}
