/// The partnership's routine meetings: a cellule de veille (what goes wrong now), a comité technique,
/// the two halves of a COPIL (technical, then social), a meeting of the bailleurs.
public enum MeetingKind: String, Sendable, CaseIterable {
    case celluleDeVeille = "cellule_de_veille"
    case comiteTechnique = "comite_technique"
    case copilTechnique = "copil_technique"
    case copilSocial = "copil_social"
    case interBailleurs = "inter_bailleurs"
    case other
}

/// `planned → held → minutes_approved`, or `planned → cancelled`.
public enum MeetingStatus: String, Sendable, CaseIterable {
    case planned, held
    case minutesApproved = "minutes_approved"
    case cancelled

    public var next: Set<MeetingStatus> {
        switch self {
        case .planned: [.held, .cancelled]
        case .held: [.minutesApproved]
        case .minutesApproved, .cancelled: []
        }
    }
}

/// Who reads the approved minutes: the coordination, the partners of the meeting and the signatories
/// of its convention, or everyone.
public enum MinutesVisibility: String, Sendable, CaseIterable {
    case `internal`, signatories, `public`
}

/// What an agenda item is about.
public enum AgendaItemKind: String, Sendable, CaseIterable {
    /// An escalation at level 2 or more nobody has reviewed.
    case escalation
    /// A signalement waiting for arbitration (nobody, or several partners, found responsible).
    case arbitration
    /// Waiting for arbitration because land parcels of different partners overlap there.
    case parcelOverlap = "parcel_overlap"
    /// An open signalement past its due date by more than the asked number of days.
    case overdue
    /// A tranquillité signalement: for the coordination, the elected officials and the partners present.
    case tranquillite
    /// At least K signalements of one category within 50 m in 90 days.
    case hotSpot = "hot_spot"
    /// An engagement due within 14 days, or overdue.
    case engagement
    /// A fiche-action past its end date and not done.
    case actionSheet = "action_sheet"
    /// Added by hand.
    case manual
}

/// What the item refers to.
public enum AgendaTargetType: String, Sendable, CaseIterable {
    case signalement, escalation, engagement
    case actionSheet = "action_sheet"
    case hotSpot = "hot_spot"
}

public struct AgendaItem: Sendable, Equatable {
    public var id: String
    public var meetingId: String
    public var position: Int
    public var kind: AgendaItemKind
    public var targetType: AgendaTargetType?
    public var targetId: String?
    /// The signalement the item is about (an escalation's, an arbitration case, a hot spot's first).
    public var signalementId: String?
    public var title: String
    public var detail: String?
    /// For the coordination, the elected officials and the partners present only.
    public var isConfidential: Bool
    /// Carried from an earlier meeting (its item id).
    public var carriedFrom: String?
    public var createdAt: Int64
}

/// What a meeting decided about an item; its effect was applied in the same transaction.
public enum DecisionKind: String, Sendable, CaseIterable {
    /// The arbitration settled: the signalement goes to a partner (its due date unchanged).
    case assign
    /// The escalation is acknowledged.
    case acknowledge
    /// An engagement for a partner with a due date.
    case engagement
    /// Seen, no action (with a note saying why).
    case noAction = "no_action"
}

public struct MeetingDecision: Sendable, Equatable {
    public var id: String
    public var meetingId: String
    public var itemId: String
    public var kind: DecisionKind
    public var note: String?
    public var partnerId: String?
    public var engagementId: String?
    public var createdAt: Int64
}

public struct Meeting: Sendable, Equatable {
    public var id: String
    public var kind: MeetingKind
    public var title: String
    public var territoryIds: [String]
    public var conventionId: String?
    public var startsAt: Int64
    public var chairPartnerId: String
    public var invitedPartnerIds: [String]
    public var presentPartnerIds: [String]
    public var previousMeetingId: String?
    public var status: MeetingStatus
    public var statusNote: String?
    public var minutes: String?
    public var minutesVisibility: MinutesVisibility
    public var minutesApprovedAt: Int64?
    public var version: Int
    public var createdAt: Int64
    public var updatedAt: Int64

    /// Reading: the territories' officials, the chair and the partners invited or present.
    var scope: ResourceScope {
        ResourceScope(partnerIds: Set(invitedPartnerIds + presentPartnerIds).union([chairPartnerId]), territoryIds: Set(territoryIds))
    }

    /// Residents read a meeting whose minutes are approved and public.
    var isPublic: Bool { status == .minutesApproved && minutesVisibility == .public }
}
