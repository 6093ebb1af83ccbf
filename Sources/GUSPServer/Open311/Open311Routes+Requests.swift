import Foundation
import GUSPCore

extension Open311Routes {
    /// `GET requests`: `service_request_id` (overrides the rest), `service_code`, `start_date`, `end_date`
    /// (at most 90 days apart; the last 90 days when neither is given), `status` (open, closed); newest
    /// first, at most 1,000.
    func requests(_ parameters: Open311Parameters) async throws -> Open311Document {
        let ids = parameters.list("service_request_id")
        if !ids.isEmpty { return try await requests(ids: ids, notFound: false) }
        let start = try parameters["start_date"].map { text throws in
            guard let date = Open311Dates.parse(text) else {
                throw Open311Error(
                    400, "start_date doit être une date W3C, par exemple 2026-01-01T00:00:00Z",
                    en: "start_date must be a W3C date-time such as 2026-01-01T00:00:00Z")
            }
            return date
        }
        let end = try parameters["end_date"].map { text throws in
            guard let date = Open311Dates.parse(text) else {
                throw Open311Error(
                    400, "end_date doit être une date W3C, par exemple 2026-01-31T23:59:59Z",
                    en: "end_date must be a W3C date-time such as 2026-01-31T23:59:59Z")
            }
            return date
        }
        let now = store.clock.now()
        let (from, to): (Date, Date) =
            switch (start, end) {
            case (nil, nil): (now.addingTimeInterval(-Self.maximumSpan), now)
            case (let start?, nil): (start, start.addingTimeInterval(Self.maximumSpan))
            case (nil, let end?): (end.addingTimeInterval(-Self.maximumSpan), end)
            case (let start?, let end?): (start, end)
            }
        if to < from { throw Open311Error(400, "end_date ne peut précéder start_date", en: "end_date must not be before start_date") }
        if to.timeIntervalSince(from) > Self.maximumSpan {
            throw Open311Error(
                400, "start_date et end_date ne peuvent être à plus de 90 jours l'une de l'autre",
                en: "start_date and end_date may not span more than 90 days")
        }
        var query = PublicRequestQuery(from: from, to: to)
        query.serviceCodes = parameters.list("service_code")
        let statuses = Set(parameters.list("status"))
        if let unknown = statuses.first(where: { $0 != "open" && $0 != "closed" }) {
            throw Open311Error(400, "status vaut open ou closed, pas \(unknown)", en: "status must be open or closed, not \(unknown)")
        }
        if statuses.count == 1 { query.open = statuses.contains("open") }
        return document(try await store.publicRequests(query))
    }

    func requests(ids: [String], notFound: Bool) async throws -> Open311Document {
        var query = PublicRequestQuery(from: .distantPast, to: .distantFuture)
        query.ids = Array(ids.prefix(1_000))
        let found = try await store.publicRequests(query)
        if notFound, found.isEmpty {
            throw Open311Error(
                404, "service_request_id \(ids.joined()) introuvable", en: "service_request_id \(ids.joined()) not found")
        }
        return document(found)
    }

    /// Requests get their id at once (type `realtime`): a token is the request's id.
    func tokenLookup(_ token: String) async throws -> Open311Document {
        var query = PublicRequestQuery(from: .distantPast, to: .distantFuture)
        query.ids = [token]
        guard let found = try await store.publicRequests(query).first else {
            throw Open311Error(404, "token \(token) introuvable", en: "token \(token) not found")
        }
        return Open311Document(
            root: "service_requests",
            value: .list(
                item: "request",
                [
                    .object([
                        ("service_request_id", .text(found.signalement.id)), ("token", .text(token)),
                    ])
                ]))
    }

    /// The `media` file of a multipart request: a JPEG or PNG photo, attached to the signalement
    /// through the photo path (metadata removed, type checked against the bytes). Any other file is a 400.
    static func media(_ parameters: Open311Parameters) throws(Open311Error) -> (bytes: [UInt8], type: String)? {
        if let other = parameters.files.keys.first(where: { $0 != "media" }) {
            throw Open311Error(400, "seul le fichier media est accepté, pas \(other)", en: "only the media file is accepted, not \(other)")
        }
        guard let part = parameters.files["media"], !part.bytes.isEmpty else { return nil }
        let type = part.contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let type, type == "image/jpeg" || type == "image/png" else {
            throw Open311Error(
                400, "media doit être une photo JPEG ou PNG (Content-Type image/jpeg ou image/png)",
                en: "media must be a JPEG or PNG photo (Content-Type image/jpeg or image/png)")
        }
        return (part.bytes, type)
    }

    /// `POST requests` with a partner API key (`api_key`): a signalement on channel `open311`.
    func createRequest(_ parameters: Open311Parameters) async throws -> Open311Document {
        guard let key = parameters["api_key"] else {
            throw Open311Error(403, "api_key est requis pour créer une demande", en: "api_key is required to create a request")
        }
        let actor = try await store.authenticate(bearer: key)
        guard actor.kind == .partnerSystem else {
            throw Open311Error(403, "api_key doit être une clé d'API de partenaire", en: "api_key must be a partner API key")
        }
        guard let code = parameters["service_code"] else { throw Open311Error(400, "service_code est requis", en: "service_code is required") }
        guard let service = try await store.publicServices().first(where: { $0.code == code }) else {
            throw Open311Error(404, "service_code \(code) introuvable", en: "service_code \(code) not found")
        }
        let media = try Self.media(parameters)
        var location: Position?
        switch (parameters["lat"], parameters["long"]) {
        case (nil, nil): break
        case (let lat?, let long?):
            guard let latitude = Double(lat), let longitude = Double(long) else {
                throw Open311Error(400, "lat et long doivent être des nombres", en: "lat and long must be numbers")
            }
            location = Position(long: longitude, lat: latitude)
        default: throw Open311Error(400, "lat et long vont ensemble", en: "lat and long go together")
        }
        let address = parameters["address_string"] ?? parameters["address_id"].map { "address_id \($0)" }
        guard location != nil || address != nil else {
            throw Open311Error(
                400, "un lieu est requis : lat et long, address_string ou address_id",
                en: "a location is required: lat and long, address_string or address_id")
        }
        let name = [parameters["first_name"], parameters["last_name"]].compactMap { $0 }.joined(separator: " ")
        let contact = ReporterContact(name: name.isEmpty ? nil : name, email: parameters["email"], phone: parameters["phone"])
        let filed = try await store.createSignalement(
            NewSignalement(
                categoryId: service.categoryId, channel: .open311, description: parameters["description"] ?? service.name,
                location: location, address: address, contact: contact.isEmpty ? nil : contact), by: actor)
        var notices: [String] = []
        if let due = filed.signalement.dueAt { notices.append("expected by \(Open311Dates.format(Date(storedMilliseconds: due)))") }
        if filed.signalement.status == .needsArbitration { notices.append("the GUSP coordination will assign it") }
        if parameters["media_url"] != nil {
            notices.append("media_url is not kept: send the photo as the media file of the request, which removes its metadata")
        }
        if let media {
            // Filed already: a photo the store refuses (not the image it says) is said, not a failure of the filing.
            do {
                _ = try await store.addPhoto(to: filed.signalement.id, bytes: media.bytes, declaredType: media.type, by: actor)
            } catch let failure as ValidationFailure {
                notices.append("media not kept: \(failure.errors.map(\.message).joined(separator: "; "))")
            }
        }
        return Open311Document(
            root: "service_requests",
            value: .list(
                item: "request",
                [
                    .object([
                        ("service_request_id", .text(filed.signalement.id)),
                        ("service_notice", .text(notices.isEmpty ? nil : notices.joined(separator: "; "))),
                        ("account_id", .text(nil)),
                    ])
                ]))
    }

    private func document(_ requests: [PublicRequest]) -> Open311Document {
        Open311Document(
            root: "service_requests",
            value: .list(
                item: "request",
                requests.map { request in
                    let signalement = request.signalement
                    return .object([
                        ("service_request_id", .text(signalement.id)),
                        ("status", .text(signalement.status.isOpen ? "open" : "closed")),
                        ("status_notes", .text(signalement.duplicateOf.map { "duplicate of \($0)" } ?? signalement.status.rawValue)),
                        ("service_name", .text(request.serviceName)),
                        ("service_code", .text(request.serviceCode)),
                        ("description", .text(signalement.description)),
                        ("agency_responsible", .text(request.agency)),
                        ("service_notice", .text(nil)),
                        ("requested_datetime", .text(Open311Dates.format(milliseconds: signalement.createdAt))),
                        // For a closed request, the specification's updated_datetime is when it was closed.
                        (
                            "updated_datetime",
                            .text(
                                Open311Dates.format(
                                    milliseconds: signalement.status.isOpen
                                        ? signalement.updatedAt : signalement.closedAt ?? signalement.resolvedAt ?? signalement.updatedAt))
                        ),
                        ("expected_datetime", .text(Open311Dates.format(milliseconds: signalement.dueAt))),
                        ("address", .text(signalement.address)),
                        ("address_id", .text(nil)),
                        ("zipcode", .text(nil)),
                        ("lat", .number(signalement.location?.lat)),
                        ("long", .number(signalement.location?.long)),
                        ("media_url", .text(nil)),
                    ])
                }))
    }
}
