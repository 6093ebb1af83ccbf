import Foundation
import GUSPAPI

/// The generated `Signalement` written by `AnswerJSON`, member for member in the schema's order, as its
/// synthesized `Encodable` conformance writes it (the tests compare both on every member).
extension Components.Schemas.Signalement {
    func write(to json: inout AnswerJSON) {
        json.object { json in
            json.member("id", id)
            json.member("reference", reference)
            json.member("category_id", categoryId)
            json.member("status", status.rawValue)
            json.member("priority", priority.rawValue)
            json.member("channel", channel.rawValue)
            json.member("description", description)
            if let location { json.member("location") { location.write(to: &$0) } }
            json.member("address", address)
            json.member("territory_id", territoryId)
            json.member("partner_id", partnerId)
            json.member("due_at", dueAt)
            json.member("overdue", overdue)
            json.member("duplicate_of", duplicateOf)
            json.member("confirmations_count", confirmationsCount)
            json.member("followers_count", followersCount)
            json.member("photos") { $0.array(photos) { json, photo in photo.write(to: &json) } }
            json.member("resolved_at", resolvedAt)
            json.member("closed_at", closedAt)
            json.member("reporter_id", reporterId)
            if let contact { json.member("contact") { contact.write(to: &$0) } }
            json.member("mine", mine)
            if let allowedTransitions {
                json.member("allowed_transitions") { $0.array(allowedTransitions) { json, status in json.string(status.rawValue) } }
            }
            if let possibleDuplicates {
                json.member("possible_duplicates") { $0.array(possibleDuplicates) { json, duplicate in duplicate.write(to: &json) } }
            }
            json.member("version", version)
            json.member("created_at", createdAt)
            json.member("updated_at", updatedAt)
        }
    }
}

extension Components.Schemas.Location {
    func write(to json: inout AnswerJSON) {
        json.object { json in
            json.member("lat", lat)
            json.member("long", long)
        }
    }
}

extension Components.Schemas.Contact {
    func write(to json: inout AnswerJSON) {
        json.object { json in
            json.member("name", name)
            json.member("email", email)
            json.member("phone", phone)
            json.member("notify", notify)
        }
    }
}

extension Components.Schemas.Photo {
    func write(to json: inout AnswerJSON) {
        json.object { json in
            json.member("id", id)
            json.member("media_type", mediaType.rawValue)
            json.member("width", width)
            json.member("height", height)
            json.member("byte_size", byteSize)
            json.member("url", url)
            json.member("created_at", createdAt)
        }
    }
}

extension Components.Schemas.PossibleDuplicate {
    func write(to json: inout AnswerJSON) {
        json.object { json in
            json.member("id", id)
            json.member("status", status.rawValue)
            json.member("distance_meters", distanceMeters)
            json.member("created_at", createdAt)
        }
    }
}
