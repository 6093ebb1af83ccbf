import Foundation

/// Domanialité: a piece of land, which partner manages it, for which categories (empty: all) and
/// from when to when (calendar days in Europe/Paris, both ends included, open when absent).
public struct LandParcel: Sendable, Equatable {
    public var id: String
    public var label: String
    public var partnerId: String
    /// The categories it covers, each with its subcategories; empty means every category.
    public var categoryIds: [String]
    /// GeoJSON text of a Polygon or MultiPolygon.
    public var geometry: String
    public var validFrom: String?
    public var validTo: String?
    public var version: Int
    public var createdAt: Int64
    public var updatedAt: Int64

    /// The Paris calendar day of `date`, as `YYYY-MM-DD` (the form validity dates are stored in).
    public static func day(of date: Date) -> String {
        // From 1996 (the European summer-time rule) to 2099, without a calendar: filings ask it twice.
        let milliseconds = date.storedMilliseconds
        if milliseconds >= 820_454_400_000, milliseconds < 4_102_444_800_000 { return ParisPeriods.day(ofMilliseconds: milliseconds) }
        let parts = Commitment.parisCalendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// Whether `text` is a real calendar date written `YYYY-MM-DD`.
    public static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            parts[0].count == 4, parts[1].count == 2, parts[2].count == 2, (1...12).contains(month), day >= 1
        else { return false }
        var components = DateComponents(year: year, month: month)
        components.day = 1
        guard let first = Commitment.parisCalendar.date(from: components),
            let days = Commitment.parisCalendar.range(of: .day, in: .month, for: first)
        else { return false }
        return days.contains(day)
    }

    public static let maximumVertices = 20_000
}

public struct NewLandParcel: Sendable {
    public var label: String
    public var partnerId: String
    public var categoryIds: [String]
    public var geometryJSON: [UInt8]
    public var validFrom: String?
    public var validTo: String?

    public init(
        label: String, partnerId: String, categoryIds: [String] = [], geometryJSON: [UInt8],
        validFrom: String? = nil, validTo: String? = nil
    ) {
        self.label = label
        self.partnerId = partnerId
        self.categoryIds = categoryIds
        self.geometryJSON = geometryJSON
        self.validFrom = validFrom
        self.validTo = validTo
    }
}

/// A change to a land parcel. `nil` leaves a field as it is; `.some(nil)` clears an optional one.
public struct LandParcelChanges: Sendable {
    public var label: String?
    public var partnerId: String?
    public var categoryIds: [String]?
    public var geometryJSON: [UInt8]?
    public var validFrom: String??
    public var validTo: String??

    public init(
        label: String? = nil, partnerId: String? = nil, categoryIds: [String]? = nil, geometryJSON: [UInt8]? = nil,
        validFrom: String?? = nil, validTo: String?? = nil
    ) {
        self.label = label
        self.partnerId = partnerId
        self.categoryIds = categoryIds
        self.geometryJSON = geometryJSON
        self.validFrom = validFrom
        self.validTo = validTo
    }

    var changedFields: [String] {
        [
            ("label", label != nil), ("partner_id", partnerId != nil), ("category_ids", categoryIds != nil),
            ("geometry", geometryJSON != nil), ("valid_from", validFrom != nil), ("valid_to", validTo != nil),
        ]
        .filter(\.1).map(\.0)
    }
}
