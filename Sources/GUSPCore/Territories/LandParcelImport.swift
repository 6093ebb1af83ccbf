import Foundation
import SQLKit

extension Store {
    public static let maximumImportedFeatures = 5_000

    /// Creates one land parcel per feature of a GeoJSON FeatureCollection, in one transaction: every
    /// feature is checked first and any problem refuses the whole import, with every problem listed
    /// under `features[i]…` (at most 100 of them).
    public func importLandParcels(featureCollection json: [UInt8], by actor: Actor) async throws -> [LandParcel] {
        try Permissions.requireRole(actor, .createLandParcel)
        let features = try Self.parseFeatures(json)
        var errors: [FieldError] = []
        var checked: [(index: Int, parcel: NewLandParcel, codes: [String]?, geometry: AreaGeometry)] = []
        for (index, feature) in features.enumerated() {
            let prefix = "features[\(index)]."
            do {
                let (parcel, codes) = try Self.landParcel(fromFeature: feature, prefix: prefix)
                let geometry = try LandParcelRules.check(parcel, prefix: prefix + "properties.", geometryField: prefix + "geometry")
                checked.append((index, parcel, codes, geometry))
            } catch {
                errors.append(contentsOf: error.errors)
            }
        }
        if !errors.isEmpty { throw ValidationFailure(Array(errors.prefix(100))) }
        let now = nowMilliseconds
        let items = checked
        return try await writeReference { db in
            let categoryIds = try await Self.categoryIdsByCode(db)
            var created: [LandParcel] = []
            var problems: [FieldError] = []
            for var item in items {
                let prefix = "features[\(item.index)].properties."
                if let codes = item.codes {
                    let unknown = codes.filter { categoryIds[$0] == nil }
                    if !unknown.isEmpty {
                        problems.append(FieldError(field: prefix + "category_codes", message: "unknown: \(unknown.joined(separator: ", "))"))
                        continue
                    }
                    item.parcel.categoryIds = codes.compactMap { categoryIds[$0] }
                }
                do {
                    created.append(
                        try await Self.insertLandParcel(
                            item.parcel, geometry: item.geometry, prefix: prefix, geometryField: "features[\(item.index)].geometry", actor: actor,
                            at: now, db))
                } catch let failure as ValidationFailure {
                    problems.append(contentsOf: failure.errors)
                } catch DomainError.forbidden(let reason) {
                    throw DomainError.forbidden("features[\(item.index)]: \(reason)")
                }
                if problems.count >= 100 { break }
            }
            // Rolls the transaction back: nothing of a refused import is kept.
            if !problems.isEmpty { throw ValidationFailure(problems) }
            return created
        }
    }

    static func parseFeatures(_ json: [UInt8]) throws(ValidationFailure) -> [[String: Any]] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
            object["type"] as? String == "FeatureCollection"
        else {
            throw ValidationFailure(field: "type", message: "must be a GeoJSON FeatureCollection")
        }
        guard let features = object["features"] as? [Any] else {
            throw ValidationFailure(field: "features", message: "must be an array of features")
        }
        if features.isEmpty { throw ValidationFailure(field: "features", message: "must not be empty") }
        if features.count > maximumImportedFeatures {
            throw ValidationFailure(field: "features", message: "at most \(maximumImportedFeatures) features per import")
        }
        return try features.enumerated().map { index, feature throws(ValidationFailure) in
            guard let feature = feature as? [String: Any], feature["type"] as? String == "Feature" else {
                throw ValidationFailure(field: "features[\(index)]", message: "must be a GeoJSON Feature")
            }
            return feature
        }
    }

    /// The parcel a feature describes, and the category codes it names (nil: all categories).
    static func landParcel(fromFeature feature: [String: Any], prefix: String) throws(ValidationFailure) -> (NewLandParcel, [String]?) {
        guard let geometry = feature["geometry"] as? [String: Any],
            let geometryJSON = try? JSONSerialization.data(withJSONObject: geometry)
        else {
            throw ValidationFailure(field: prefix + "geometry", message: "must be a Polygon or MultiPolygon")
        }
        let properties = feature["properties"] as? [String: Any] ?? [:]
        var check = Validator()
        func text(_ key: String) -> String? {
            guard let value = properties[key], !(value is NSNull) else { return nil }
            guard let string = value as? String else {
                check.fail(prefix + "properties." + key, "must be a string")
                return nil
            }
            return string
        }
        let label = text("label") ?? ""
        let partner = text("partner_id") ?? ""
        var codes: [String]?
        if let value = properties["category_codes"], !(value is NSNull) {
            if let list = value as? [String] {
                codes = list
            } else {
                check.fail(prefix + "properties.category_codes", "must be an array of category codes")
            }
        }
        let parcel = NewLandParcel(
            label: label, partnerId: partner, geometryJSON: Array(geometryJSON),
            validFrom: text("valid_from"), validTo: text("valid_to"))
        try check.throwIfFailed()
        return (parcel, codes)
    }

    static func categoryIdsByCode(_ db: any SQLDatabase) async throws -> [String: String] {
        var ids: [String: String] = [:]
        for row in try await db.select().columns("id", "code").from("categories").all() {
            ids[try row.decode(column: "code", as: String.self)] = try row.decode(column: "id", as: String.self)
        }
        return ids
    }
}
