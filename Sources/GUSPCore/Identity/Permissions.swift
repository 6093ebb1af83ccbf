/// Everything a caller can ask gusp to do, named `resource.verb`.
public enum Operation: String, Sendable, CaseIterable {
    case readPartner = "partner.read"
    case createPartner = "partner.create"
    case updatePartner = "partner.update"
    case deletePartner = "partner.delete"
    case manageApiKeys = "api_key.manage"
    case readTerritory = "territory.read"
    case createTerritory = "territory.create"
    case updateTerritory = "territory.update"
    case deleteTerritory = "territory.delete"
    case readCategory = "category.read"
    case createCategory = "category.create"
    case updateCategory = "category.update"
    case deleteCategory = "category.delete"
    case readUser = "user.read"
    case createUser = "user.create"
    /// Any field, role, partner and territories included.
    case updateUser = "user.update"
    /// Display name, email and password only.
    case updateUserProfile = "user.update_profile"
    case deleteUser = "user.delete"
    /// Personal data only where `SignalementAccess` allows it.
    case readSignalement = "signalement.read"
    case createSignalement = "signalement.create"
    /// Corrections (category, priority, description); state changes follow `SignalementWorkflow`.
    case updateSignalement = "signalement.update"
    /// Public comments; internal ones are for the assigned partner's staff and coordinators.
    case commentSignalement = "signalement.comment"
    /// "Me too", once per resident.
    case confirmSignalement = "signalement.confirm"
    case readLandParcel = "land_parcel.read"
    case createLandParcel = "land_parcel.create"
    case updateLandParcel = "land_parcel.update"
    case deleteLandParcel = "land_parcel.delete"
    /// Residents read the public summary of active conventions (budgets only when published).
    case readConvention = "convention.read"
    case createConvention = "convention.create"
    /// Edits a draft, publishes budgets, terminates.
    case updateConvention = "convention.update"
    /// Proposes an amendment (avenant), which takes effect once every signatory has signed it.
    case amendConvention = "convention.amend"
    /// For a signatory partner: its elected officials and coordinators.
    case signConvention = "convention.sign"
    /// Progress and dated updates of a fiche-action (its signed terms change only by amendment).
    case updateActionSheet = "action_sheet.update"
    /// The yearly programme of an ATFPB convention (planned amounts per axis and QPV).
    case writeAtfpbProgramme = "atfpb_programme.write"
    case readIntervention = "intervention.read"
    /// Upserts by external id, one by one or in batches: the partner's own systems and technicians.
    case writeIntervention = "intervention.write"
    /// Reading escalations; acknowledging one is for its escalated party.
    case readEscalation = "escalation.read"
    /// Webhook subscriptions of a partner (or, for admins, of the whole deployment), their deliveries and replays.
    case manageWebhooks = "webhook.manage"
    /// Indicators and the dashboard: each role over what it may see; residents the public figures.
    case readIndicator = "indicator.read"
    /// Residents read the public engagements only.
    case readEngagement = "engagement.read"
    case createEngagement = "engagement.create"
    /// Any term of an engagement (title, partners, due date, links, public flag).
    case updateEngagement = "engagement.update"
    /// Its status and dated updates: the lead partner's staff and systems, and the coordination.
    case reportEngagement = "engagement.report"
    /// Walks (diagnostics en marchant, marches exploratoires), their observations and grids; residents
    /// read walks whose report is published.
    case readWalk = "walk.read"
    /// Plans, moves, records attendance, converts observations: the territory's coordinators.
    case writeWalk = "walk.write"
    /// Adds observations: coordinators, and the technicians of the partners organising or invited.
    case observeWalk = "walk.observe"
    /// Meetings (cellules de veille, comités, COPIL), their agenda and decisions; residents read a
    /// meeting whose minutes are approved and public.
    case readMeeting = "meeting.read"
    /// Plans, moves, builds the agenda, records decisions and minutes: the territories' coordinators.
    case writeMeeting = "meeting.write"
    /// The security log (logins, password and access changes, keys).
    case readSecurityLog = "security_log.read"
}

extension Operation {
    /// Reads need a resource to touch the actor's reach; changes need it wholly inside.
    public var isRead: Bool { rawValue.hasSuffix(".read") }
}

/// The one place that decides who may do what. The README prints this table
/// (`gusp permissions`), and a test walks every cell of it over HTTP.
public enum Permissions {
    public static let table: [Operation: [Role: Reach]] = [
        .readPartner: everyone(.all),
        .createPartner: [.admin: .all, .coordinator: .ownTerritories],
        .updatePartner: [.admin: .all, .coordinator: .ownTerritories],
        .deletePartner: [.admin: .all],
        .manageApiKeys: [.admin: .all, .coordinator: .ownTerritories],
        .readTerritory: everyone(.all),
        .createTerritory: [.admin: .all, .coordinator: .ownTerritories],
        .updateTerritory: [.admin: .all, .coordinator: .ownTerritories],
        .deleteTerritory: [.admin: .all],
        .readCategory: everyone(.all),
        .createCategory: [.admin: .all],
        .updateCategory: [.admin: .all],
        .deleteCategory: [.admin: .all],
        .readUser: [
            .admin: .all, .coordinator: [.ownTerritories, .oneself], .elected: .oneself,
            .technician: [.ownPartner, .oneself], .resident: .oneself,
        ],
        .createUser: [.admin: .all, .coordinator: .ownTerritories],
        .updateUser: [.admin: .all, .coordinator: .ownTerritories],
        .updateUserProfile: [
            .admin: .all, .coordinator: [.ownTerritories, .oneself], .elected: .oneself,
            .technician: .oneself, .resident: .oneself,
        ],
        .deleteUser: [.admin: .all, .coordinator: .ownTerritories],
        .readSignalement: [
            .admin: .all, .coordinator: .ownTerritories, .elected: .ownTerritories,
            .technician: .ownPartner, .resident: .all, .partnerSystem: .ownPartner,
        ],
        .createSignalement: [
            .admin: .all, .coordinator: .ownTerritories, .technician: .all, .resident: .all,
            .partnerSystem: .all,
        ],
        .updateSignalement: [
            .admin: .all, .coordinator: .ownTerritories, .technician: .ownPartner,
            .partnerSystem: .ownPartner,
        ],
        .commentSignalement: [
            .admin: .all, .coordinator: .ownTerritories, .elected: .ownTerritories,
            .technician: .ownPartner, .resident: .oneself, .partnerSystem: .ownPartner,
        ],
        .confirmSignalement: [.resident: .all],
        .readLandParcel: [.admin: .all, .coordinator: .all, .elected: .all, .technician: .all, .partnerSystem: .all],
        .createLandParcel: [.admin: .all, .coordinator: .ownTerritories],
        .updateLandParcel: [.admin: .all, .coordinator: .ownTerritories],
        .deleteLandParcel: [.admin: .all, .coordinator: .ownTerritories],
        .readConvention: [
            .admin: .all, .coordinator: [.ownTerritories, .ownPartner], .elected: [.ownTerritories, .ownPartner],
            .technician: .ownPartner, .resident: .all, .partnerSystem: .ownPartner,
        ],
        .createConvention: [.admin: .all, .coordinator: .ownTerritories],
        .updateConvention: [.admin: .all, .coordinator: .ownTerritories],
        .amendConvention: [.admin: .all, .coordinator: .ownTerritories],
        .signConvention: [.coordinator: .ownPartner, .elected: .ownPartner],
        .updateActionSheet: [.admin: .all, .coordinator: .ownTerritories, .technician: .ownPartner, .partnerSystem: .ownPartner],
        .writeAtfpbProgramme: [.admin: .all, .coordinator: .ownTerritories, .technician: .ownPartner, .partnerSystem: .ownPartner],
        .readIntervention: [
            .admin: .all, .coordinator: .ownTerritories, .elected: .ownTerritories, .technician: .ownPartner,
            .partnerSystem: .ownPartner,
        ],
        .writeIntervention: [.technician: .ownPartner, .partnerSystem: .ownPartner],
        .readEscalation: [
            .admin: .all, .coordinator: .ownTerritories, .elected: .ownTerritories, .technician: .ownPartner,
            .partnerSystem: .ownPartner,
        ],
        .manageWebhooks: [.admin: .all, .technician: .ownPartner, .partnerSystem: .ownPartner],
        .readIndicator: [
            .admin: .all, .coordinator: .ownTerritories, .elected: .ownTerritories, .technician: .ownPartner,
            .resident: .all, .partnerSystem: .ownPartner,
        ],
        .readEngagement: [
            .admin: .all, .coordinator: .ownTerritories, .elected: .ownTerritories, .technician: .ownPartner, .resident: .all,
            .partnerSystem: .ownPartner,
        ],
        .createEngagement: [.admin: .all, .coordinator: .ownTerritories],
        .updateEngagement: [.admin: .all, .coordinator: .ownTerritories],
        .reportEngagement: [.admin: .all, .coordinator: .ownTerritories, .technician: .ownPartner, .partnerSystem: .ownPartner],
        .readWalk: [
            .admin: .all, .coordinator: .ownTerritories, .elected: .ownTerritories, .technician: .ownPartner, .resident: .all,
            .partnerSystem: .ownPartner,
        ],
        .writeWalk: [.admin: .all, .coordinator: .ownTerritories],
        .observeWalk: [.admin: .all, .coordinator: .ownTerritories, .technician: .ownPartner],
        .readMeeting: [
            .admin: .all, .coordinator: .ownTerritories, .elected: .ownTerritories, .technician: .ownPartner, .resident: .all,
            .partnerSystem: .ownPartner,
        ],
        .writeMeeting: [.admin: .all, .coordinator: .ownTerritories],
        .readSecurityLog: [.admin: .all],
    ]

    /// The roles each role may give to the users it creates or changes.
    public static let assignableRoles: [Role: Set<Role>] = [
        .admin: Set(Role.userRoles),
        .coordinator: [.elected, .technician],
    ]

    private static func everyone(_ reach: Reach) -> [Role: Reach] {
        Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0, reach) })
    }

    public static func reach(_ role: Role, _ operation: Operation) -> Reach {
        table[operation]?[role] ?? .none
    }

    /// Whether the actor's role has the operation on every resource (an admin's reach).
    public static func reachesAll(_ actor: Actor, _ operation: Operation) -> Bool {
        reach(actor.role, operation).contains(.all)
    }

    /// Whether the actor's role has the operation at all, whatever the resource.
    public static func mayEver(_ actor: Actor, _ operation: Operation) -> Bool {
        !reach(actor.role, operation).isEmpty
    }

    public static func allows(_ actor: Actor, _ operation: Operation, on scope: ResourceScope) -> Bool {
        reach(actor.role, operation).covers(scope, for: actor, writing: !operation.isRead)
    }

    /// Throws unless the actor may do `operation` on a resource with `scope`. A role that may never do
    /// it is refused (403); otherwise, when the actor may not even read the resource (`visibility`),
    /// the answer is "not found", so that its existence is not revealed.
    public static func require(
        _ actor: Actor, _ operation: Operation, on scope: ResourceScope, visibility: Operation, resource: String
    ) throws(DomainError) {
        try requireRole(actor, operation)
        if !allows(actor, visibility, on: scope) { throw .notFound("\(resource) not found") }
        if !allows(actor, operation, on: scope) {
            throw .forbidden("your role (\(actor.role.rawValue)) may not do \(operation.rawValue) here")
        }
    }

    /// Throws 403 unless the role has the operation at all (for creating and listing).
    public static func requireRole(_ actor: Actor, _ operation: Operation) throws(DomainError) {
        if !mayEver(actor, operation) {
            throw .forbidden("your role (\(actor.role.rawValue)) may not do \(operation.rawValue)")
        }
    }

    /// The table as Markdown, as the README shows it.
    public static func markdownTable() -> String {
        var lines = ["| operation | " + Role.allCases.map(\.rawValue).joined(separator: " | ") + " |"]
        lines.append("|---|" + Role.allCases.map { _ in "---|" }.joined())
        for operation in Operation.allCases {
            let cells = Role.allCases.map { reach($0, operation).label }
            lines.append("| `\(operation.rawValue)` | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }
}
