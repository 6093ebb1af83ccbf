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
        }
    }

    static func checkDescription(_ description: String, field: String = "description", into check: inout Validator) {
        check.text(description, field, maxLength: maximumDescription)
        // Unicode's control characters (general category Cc) are, by its stability policy, for ever these 65.
        if description.unicodeScalars.contains(where: { ($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) && $0 != "\n" && $0 != "\t" && $0 != "\r" }) {
            check.fail(field, "must be plain text (no control characters)")
        }
    }
}

/// Distances on the ground between WGS84 positions.
enum GroundDistance {
    static let earthRadius = 6_371_008.8

    /// The great-circle distance in metres (haversine).
    static func meters(_ a: Position, _ b: Position) -> Double {
        let radians = Double.pi / 180
        let dLat = (b.lat - a.lat) * radians, dLong = (b.long - a.long) * radians
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(a.lat * radians) * cos(b.lat * radians) * sin(dLong / 2) * sin(dLong / 2)
        return 2 * earthRadius * asin(min(1, h.squareRoot()))
    }

    /// The grid cell of a point: 0.001° of latitude by 0.001° of longitude (about 111 m × 79 m in
    /// France), as one integer, so that "near here" is an indexed lookup of a few cells.
    static func cell(of point: Position) -> Int64 {
        let row = Int64((point.lat * 1000).rounded(.down)) + 90_000
        let column = Int64((point.long * 1000).rounded(.down)) + 180_000
        return row * 1_000_000 + column
    }

    /// The cells a circle of `meters` around `center` touches, or nil when they are too many to list
    /// (a radius of kilometres): then the caller asks the rows of cells of the box (`cellRanges`).
    static func cells(around center: Position, meters: Double, limit: Int = 64) -> [Int64]? {
        cells(in: box(around: center, meters: meters), limit: limit)
    }

    /// The cells a bounding box touches (every point inside it lies in one of them), or nil when they
    /// are more than `limit`.
    static func cells(in box: BoundingBox, limit: Int) -> [Int64]? {
        guard box.minLat <= box.maxLat, box.minLong <= box.maxLong else { return nil }
        let rows = Int64((box.minLat * 1000).rounded(.down))...Int64((box.maxLat * 1000).rounded(.down))
        let columns = Int64((box.minLong * 1000).rounded(.down))...Int64((box.maxLong * 1000).rounded(.down))
        guard rows.count * columns.count <= limit else { return nil }
        return rows.flatMap { row in columns.map { (row + 90_000) * 1_000_000 + $0 + 180_000 } }
    }

    /// The cells a bounding box touches as one range of cell numbers per 0.001° row of the grid (a row's
    /// cells are consecutive numbers), or nil when the box is more than `maximumRows` rows tall or turned
    /// over. Every point inside the box lies in one of them.
    static func cellRanges(in box: BoundingBox, maximumRows: Int = 400) -> [ClosedRange<Int64>]? {
        guard box.minLat <= box.maxLat, box.minLong <= box.maxLong else { return nil }
        let rows = Int64((box.minLat * 1000).rounded(.down))...Int64((box.maxLat * 1000).rounded(.down))
        guard rows.count <= maximumRows else { return nil }
        let first = Int64((box.minLong * 1000).rounded(.down)) + 180_000, last = Int64((box.maxLong * 1000).rounded(.down)) + 180_000
        return rows.map { row in ((row + 90_000) * 1_000_000 + first)...((row + 90_000) * 1_000_000 + last) }
    }

    /// A box holding every point within `meters` of `center` (for an indexed first filter).
    static func box(around center: Position, meters: Double) -> BoundingBox {
        let dLat = meters / earthRadius * 180 / .pi
        let dLong = dLat / max(cos(center.lat * .pi / 180), 0.01)
        return BoundingBox(minLong: center.long - dLong, minLat: center.lat - dLat, maxLong: center.long + dLong, maxLat: center.lat + dLat)
    }
}
