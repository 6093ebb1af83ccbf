import GUSPAPI
import GUSPCore

// Exhaustive conversions between the contract's enums and the domain's, for identity and places: a case added on
// either side is a compile error here, never a crash at run time. The raw values are the same on both sides.

extension Components.Schemas.Role {
    init(_ value: Role) {
        switch value {
        case .admin: self = .admin
        case .coordinator: self = .coordinator
        case .elected: self = .elected
        case .technician: self = .technician
        case .resident: self = .resident
        case .partnerSystem: self = .partnerSystem
        }
    }
}

extension Role {
    init(_ value: Components.Schemas.Role) {
        switch value {
        case .admin: self = .admin
        case .coordinator: self = .coordinator
        case .elected: self = .elected
        case .technician: self = .technician
        case .resident: self = .resident
        case .partnerSystem: self = .partnerSystem
        }
    }

    init(_ value: Components.Schemas.UserRole) {
        switch value {
        case .admin: self = .admin
        case .coordinator: self = .coordinator
        case .elected: self = .elected
        case .technician: self = .technician
        case .resident: self = .resident
        }
    }
}

extension Components.Schemas.UserRole {
    /// A person's role; `partner_system` is no person's, and shows as `resident` (a user row never has it).
    init(_ value: Role) {
        switch value {
        case .admin: self = .admin
        case .coordinator: self = .coordinator
        case .elected: self = .elected
        case .technician: self = .technician
        case .resident, .partnerSystem: self = .resident
        }
    }

    var role: Role { Role(self) }
}

extension Components.Schemas.Me.KindPayload {
    init(_ value: Actor.Kind) {
        switch value {
        case .user: self = .user
        case .partnerSystem: self = .partnerSystem
        }
    }
}

extension Actor.Kind {
    init(_ value: Components.Schemas.Me.KindPayload) {
        switch value {
        case .user: self = .user
        case .partnerSystem: self = .partnerSystem
        }
    }
}

extension Components.Schemas.ResourceType {
    init(_ value: ResourceType) {
        switch value {
        case .partner: self = .partner
        case .territory: self = .territory
        case .category: self = .category
        case .user: self = .user
        case .apiKey: self = .apiKey
        case .signalement: self = .signalement
        case .landParcel: self = .landParcel
        case .convention: self = .convention
        case .intervention: self = .intervention
        case .actionSheet: self = .actionSheet
        case .engagement: self = .engagement
        case .walk: self = .walk
        case .meeting: self = .meeting
        }
    }
}

extension ResourceType {
    init(_ value: Components.Schemas.ResourceType) {
        switch value {
        case .partner: self = .partner
        case .territory: self = .territory
        case .category: self = .category
        case .user: self = .user
        case .apiKey: self = .apiKey
        case .signalement: self = .signalement
        case .landParcel: self = .landParcel
        case .convention: self = .convention
        case .intervention: self = .intervention
        case .actionSheet: self = .actionSheet
        case .engagement: self = .engagement
        case .walk: self = .walk
        case .meeting: self = .meeting
        }
    }
}

extension Components.Schemas.PartnerKind {
    init(_ value: PartnerKind) {
        switch value {
        case .ville: self = .ville
        case .epci: self = .epci
        case .bailleur: self = .bailleur
        case .etat: self = .etat
        case .association: self = .association
        case .centreSocial: self = .centreSocial
        case .copropriete: self = .copropriete
        case .other: self = .other
        }
    }
}

extension Components.Schemas.CategoryUpdate.DefaultPartnerKindPayload {
    init(_ value: PartnerKind) {
        switch value {
        case .ville: self = .ville
        case .epci: self = .epci
        case .bailleur: self = .bailleur
        case .etat: self = .etat
        case .association: self = .association
        case .centreSocial: self = .centreSocial
        case .copropriete: self = .copropriete
        case .other: self = .other
        }
    }
}

extension PartnerKind {
    init(_ value: Components.Schemas.PartnerKind) {
        switch value {
        case .ville: self = .ville
        case .epci: self = .epci
        case .bailleur: self = .bailleur
        case .etat: self = .etat
        case .association: self = .association
        case .centreSocial: self = .centreSocial
        case .copropriete: self = .copropriete
        case .other: self = .other
        }
    }

    /// Nil for the empty value the nullable `default_partner_kind` of a category update decodes a `null` to.
    init?(_ value: Components.Schemas.CategoryUpdate.DefaultPartnerKindPayload) {
        switch value {
        case .ville: self = .ville
        case .epci: self = .epci
        case .bailleur: self = .bailleur
        case .etat: self = .etat
        case .association: self = .association
        case .centreSocial: self = .centreSocial
        case .copropriete: self = .copropriete
        case .other: self = .other
        case ._empty_: return nil
        }
    }
}

extension Components.Schemas.TerritoryKind {
    init(_ value: TerritoryKind) {
        switch value {
        case .qpv: self = .qpv
        case .commune: self = .commune
        case .sector: self = .sector
        }
    }
}

extension TerritoryKind {
    init(_ value: Components.Schemas.TerritoryKind) {
        switch value {
        case .qpv: self = .qpv
        case .commune: self = .commune
        case .sector: self = .sector
        }
    }
}

extension Components.Schemas.CommitmentUnit {
    init(_ value: CommitmentUnit) {
        switch value {
        case .hours: self = .hours
        case .days: self = .days
        case .businessDays: self = .businessDays
        }
    }
}

extension CommitmentUnit {
    init(_ value: Components.Schemas.CommitmentUnit) {
        switch value {
        case .hours: self = .hours
        case .days: self = .days
        case .businessDays: self = .businessDays
        }
    }
}

extension Components.Schemas.SecurityEventKind {
    init(_ value: SecurityEventKind) {
        switch value {
        case .loginSucceeded: self = .loginSucceeded
        case .loginFailed: self = .loginFailed
        case .loginLimited: self = .loginLimited
        case .passwordChanged: self = .passwordChanged
        case .roleChanged: self = .roleChanged
        case .territoriesChanged: self = .territoriesChanged
        case .partnerChanged: self = .partnerChanged
        case .userDeleted: self = .userDeleted
        case .apiKeyCreated: self = .apiKeyCreated
        case .apiKeyRevoked: self = .apiKeyRevoked
        }
    }
}

extension SecurityEventKind {
    init(_ value: Components.Schemas.SecurityEventKind) {
        switch value {
        case .loginSucceeded: self = .loginSucceeded
        case .loginFailed: self = .loginFailed
        case .loginLimited: self = .loginLimited
        case .passwordChanged: self = .passwordChanged
        case .roleChanged: self = .roleChanged
        case .territoriesChanged: self = .territoriesChanged
        case .partnerChanged: self = .partnerChanged
        case .userDeleted: self = .userDeleted
        case .apiKeyCreated: self = .apiKeyCreated
        case .apiKeyRevoked: self = .apiKeyRevoked
        }
    }
}
