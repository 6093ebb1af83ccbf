import Foundation
import SQLKit

enum LandParcelRules {
    /// Checks a new parcel's fields; `prefix` names the feature in an import (`features[3].properties.`).
    static func check(_ new: NewLandParcel, prefix: String, geometryField: String = "geometry") throws(ValidationFailure) -> AreaGeometry {
        var check = Validator()
        check.text(new.label, prefix + "label", maxLength: 200)
        check.check(!new.partnerId.isEmpty, prefix + "partner_id", "is required")
        for (field, value) in [("valid_from", new.validFrom), ("valid_to", new.validTo)] {
            if let value, !LandParcel.isDay(value) { check.fail(prefix + field, "must be a date YYYY-MM-DD") }
        }
        if let from = new.validFrom, let to = new.validTo, LandParcel.isDay(from), LandParcel.isDay(to), to < from {
            check.fail(prefix + "valid_to", "must not be before valid_from")
        }
        try check.throwIfFailed()
        return try AreaGeometry.parse(json: Data(new.geometryJSON), field: geometryField, maxVertices: LandParcel.maximumVertices)
    }
}
