import Foundation

/// Input rules of a new signalement or a correction.
enum SignalementRules {
    static let maximumDescription = 4_000
    static let maximumAddress = 300

    /// The channels each role may record, the first being the default.
    static let channels: [Role: [SignalementChannel]] = [
        .resident: [.app, .open311],
        .technician: [.agent, .phone, .walk],
        .coordinator: [.agent, .phone, .walk],
        .admin: [.agent, .phone, .walk, .app],
        .partnerSystem: [.partnerAPI, .open311],
    ]

    static func channel(for actor: Actor, asked: SignalementChannel?, into check: inout Validator) -> SignalementChannel {
        let allowed = channels[actor.role] ?? []
        guard let asked else { return allowed.first ?? .app }
        if !allowed.contains(asked) {
            check.fail("channel", "a \(actor.role.rawValue) files through " + allowed.map(\.rawValue).joined(separator: ", "))
        }
        return asked
    }

    static func check(_ new: NewSignalement, by actor: Actor, into check: inout Validator) {
        let staff = [Role.admin, .coordinator, .technician].contains(actor.role)
        if new.territoryId != nil, !staff { check.fail("territory_id", "is for staff filing by phone; give a location or an address") }
        if new.priority != nil, !staff, actor.role != .partnerSystem { check.fail("priority", "is set by the staff who handle it") }
        checkDescription(new.description, into: &check)
        check.text(new.address, "address", required: false, maxLength: maximumAddress)
        if let location = new.location {
            check.check(location.lat.isFinite && (-90...90).contains(location.lat), "location.lat", "must be between -90 and 90")
            check.check(location.long.isFinite && (-180...180).contains(location.long), "location.long", "must be between -180 and 180")
            if new.territoryId != nil { check.fail("territory_id", "is derived from the location; send one or the other") }
        }
        if new.location == nil, new.address == nil, new.territoryId == nil {
            check.fail("location", "a location, an address or a territory is required")
        }
        if let contact = new.contact {
            check.text(contact.name, "contact.name", required: false, maxLength: 100)
            if let email = contact.email, let problem = EmailAddress.problem(with: email) { check.fail("contact.email", problem) }
            if let phone = contact.phone, let problem = PhoneNumber.problem(with: phone) { check.fail("contact.phone", problem) }
            if contact.notify, contact.email == nil { check.fail("contact.notify", "needs contact.email: messages are sent by email") }
        }
    }

    static func checkDescription(_ description: String, field: String = "description", into check: inout Validator) {
        check.text(description, field, maxLength: maximumDescription)
    }
}
