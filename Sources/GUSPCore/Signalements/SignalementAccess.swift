/// Who may see what of one signalement. The permission table decides the role-wide rules
/// (`signalement.read`, `signalement.update`…); this adds the per-signalement relations: the reporter,
/// the assigned partner's staff, and which fields carry personal data.
///
/// - Personal data (`reporter_id`, `contact`) is shown to admins, coordinators of its territory, the
///   assigned partner's staff, the resident who reported it, and the technician who filed it on their
///   behalf; never to elected officials or other residents.
/// - Internal comments are shown to admins, coordinators of its territory and the assigned partner's staff.
/// - A signalement outside every territory (accepted only when the deployment allows it) is in every
///   coordinator's reach, so that someone can arbitrate it.
public enum SignalementAccess {
    static func scope(_ signalement: Signalement) -> ResourceScope {
        ResourceScope(
            partnerIds: Set([signalement.partnerId].compactMap { $0 }),
            territoryIds: Set([signalement.territoryId].compactMap { $0 }))
    }

    static func coordinates(_ actor: Actor, _ signalement: Signalement) -> Bool {
        guard actor.role == .coordinator else { return false }
        guard let territory = signalement.territoryId else { return true }
        return actor.territoryIds.contains(territory)
    }

    static func isAssignedPartnerStaff(_ actor: Actor, _ signalement: Signalement) -> Bool {
        (actor.role == .technician || actor.role == .partnerSystem)
            && actor.partnerId != nil && actor.partnerId == signalement.partnerId
    }

    static func isReporter(_ actor: Actor, _ signalement: Signalement) -> Bool {
        actor.kind == .user && signalement.reporterId == actor.id
    }

    static func filedOnBehalf(_ actor: Actor, _ filedBy: String?) -> Bool {
        actor.role == .technician && filedBy == actor.id
    }

    public static func parties(_ actor: Actor, _ signalement: Signalement) -> Set<SignalementParty> {
        var parties: Set<SignalementParty> = []
        if actor.role == .admin { parties.insert(.admin) }
        if coordinates(actor, signalement) { parties.insert(.coordinator) }
        if isAssignedPartnerStaff(actor, signalement) { parties.insert(.assignedPartner) }
        if actor.role == .resident, isReporter(actor, signalement) { parties.insert(.reporter) }
        return parties
    }

    public static func mayRead(_ actor: Actor, _ signalement: Signalement, filedBy: String?) -> Bool {
        mayRead(
            actor, partnerId: signalement.partnerId, territoryId: signalement.territoryId, reporterId: signalement.reporterId,
            filedBy: filedBy)
    }

    /// The same rule from a stored row's columns (the possible duplicates of a filing).
    static func mayRead(_ actor: Actor, partnerId: String?, territoryId: String?, reporterId: String?, filedBy: String?) -> Bool {
        let scope = ResourceScope(partnerIds: Set([partnerId].compactMap { $0 }), territoryIds: Set([territoryId].compactMap { $0 }))
        let coordinates = actor.role == .coordinator && (territoryId.map(actor.territoryIds.contains) ?? true)
        return Permissions.allows(actor, .readSignalement, on: scope) || coordinates || filedOnBehalf(actor, filedBy)
            || (actor.kind == .user && reporterId == actor.id)
    }

    public static func seesPersonalData(_ actor: Actor, _ signalement: Signalement, filedBy: String?) -> Bool {
        actor.role == .admin || coordinates(actor, signalement) || isAssignedPartnerStaff(actor, signalement)
            || isReporter(actor, signalement) || filedOnBehalf(actor, filedBy)
    }

    public static func seesInternal(_ actor: Actor, _ signalement: Signalement) -> Bool {
        actor.role == .admin || coordinates(actor, signalement) || isAssignedPartnerStaff(actor, signalement)
    }
}

extension Signalement {
    /// The signalement as `actor` may see it: personal data removed unless they may see it, including the
    /// emails and phone numbers typed into its description (`ContactMask`). The reporter's contact is
    /// never in it: only `GET /v1/signalements/{id}` shows it (`withContact`), and logs the read.
    public func redacted(for actor: Actor, filedBy: String?) -> Signalement {
        var copy = self
        copy.isMine = SignalementAccess.isReporter(actor, self)
        copy.contact = nil
        if !SignalementAccess.seesPersonalData(actor, self, filedBy: filedBy) {
            copy.reporterId = nil
            copy.description = ContactMask.masked(description)
        }
        return copy
    }

    /// `redacted(for:filedBy:)` with the contact for those who may see it.
    func withContact(for actor: Actor, filedBy: String?) -> Signalement {
        var copy = redacted(for: actor, filedBy: filedBy)
        if SignalementAccess.seesPersonalData(actor, self, filedBy: filedBy) { copy.contact = contact }
        return copy
    }
}
