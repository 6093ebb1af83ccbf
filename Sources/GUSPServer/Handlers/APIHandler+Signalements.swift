import Foundation
import GUSPAPI
import GUSPCore
import OpenAPIRuntime

extension APIHandler {
    func listSignalements(_ input: Operations.ListSignalements.Input) async throws -> Operations.ListSignalements.Output {
        let actor = try RequestState.requireActor()
        let query = input.query
        var filter = SignalementFilter()
        filter.statuses = try Self.statuses(query.status ?? [])
        filter.categoryId = query.category
        filter.territoryId = query.territory
        filter.partnerId = query.partner
        filter.bbox = try query.bbox.map(Self.boundingBox)
        filter.createdSince = query.createdSince
        filter.createdBefore = query.createdBefore
        filter.updatedSince = query.updatedSince
        filter.updatedBefore = query.updatedBefore
        filter.overdue = query.overdue
        filter.mine = query.mine
        let page = try await store.signalements(filter, page: try PageRequest(limit: query.limit, cursor: query.cursor), by: actor)
        let now = store.clock.now().storedMilliseconds
        let data = page.items.map { Components.Schemas.Signalement($0, for: actor, now: now, reopenWindow: store.settings.reopenWindow) }
        return .ok(.init(body: .json(.init(data: data, nextCursor: page.nextCursor))))
    }

    /// Called for JSON bodies by the filing fast path, `GUSPServer/Filing/` (`FilingMiddleware` writes the answer).
    func createSignalement(_ input: Operations.CreateSignalement.Input) async throws -> Operations.CreateSignalement.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let filed = try await store.createSignalement(
            NewSignalement(
                categoryId: body.categoryId, channel: body.channel.map(SignalementChannel.init),
                description: body.description, location: body.location.map { Position(long: $0.long, lat: $0.lat) },
                address: body.address, territoryId: body.territoryId,
                priority: body.priority.map(SignalementPriority.init),
                contact: body.contact.map { ReporterContact(name: $0.name, email: $0.email, phone: $0.phone, notify: $0.notify ?? false) }), by: actor
        )
        let signalement = filed.signalement
        return .created(
            .init(
                headers: .init(eTag: etag(signalement.version)),
                body: .json(
                    .init(
                        signalement, for: actor, now: store.clock.now().storedMilliseconds, reopenWindow: store.settings.reopenWindow,
                        duplicates: filed.possibleDuplicates))))
    }

    func getSignalement(_ input: Operations.GetSignalement.Input) async throws -> Operations.GetSignalement.Output {
        let actor = try RequestState.requireActor()
        let signalement = try await store.signalement(input.path.signalementId, by: actor)
        return .ok(.init(headers: .init(eTag: etag(signalement.version)), body: .json(answer(signalement, for: actor))))
    }

    func updateSignalement(_ input: Operations.UpdateSignalement.Input) async throws -> Operations.UpdateSignalement.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        for field in nullFields() { throw ValidationFailure(field: field, message: "cannot be null") }
        let signalement = try await store.updateSignalement(
            input.path.signalementId,
            SignalementChanges(
                categoryId: body.categoryId, priority: body.priority.map(SignalementPriority.init),
                description: body.description), ifVersion: expectedVersion(), by: actor)
        return .ok(.init(headers: .init(eTag: etag(signalement.version)), body: .json(answer(signalement, for: actor))))
    }

    func transitionSignalement(_ input: Operations.TransitionSignalement.Input) async throws -> Operations.TransitionSignalement.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let signalement = try await store.transitionSignalement(
            input.path.signalementId, to: SignalementStatus(body.to), note: body.note,
            ifVersion: expectedVersion(), by: actor)
        return .ok(.init(headers: .init(eTag: etag(signalement.version)), body: .json(answer(signalement, for: actor))))
    }

    func assignSignalement(_ input: Operations.AssignSignalement.Input) async throws -> Operations.AssignSignalement.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let signalement = try await store.assignSignalement(
            input.path.signalementId, to: body.partnerId, note: body.note,
            ifVersion: expectedVersion(), by: actor)
        return .ok(.init(headers: .init(eTag: etag(signalement.version)), body: .json(answer(signalement, for: actor))))
    }

    func markSignalementDuplicate(_ input: Operations.MarkSignalementDuplicate.Input) async throws -> Operations.MarkSignalementDuplicate.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let signalement = try await store.markDuplicate(input.path.signalementId, of: body.originalId, note: body.note, by: actor)
        return .ok(.init(headers: .init(eTag: etag(signalement.version)), body: .json(answer(signalement, for: actor))))
    }

    func listSignalementComments(_ input: Operations.ListSignalementComments.Input) async throws -> Operations.ListSignalementComments.Output {
        let actor = try RequestState.requireActor()
        let page = try await store.signalementComments(
            input.path.signalementId,
            page: try PageRequest(limit: input.query.limit, cursor: input.query.cursor), by: actor)
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.Comment.init), nextCursor: page.nextCursor))))
    }

    func createSignalementComment(_ input: Operations.CreateSignalementComment.Input) async throws -> Operations.CreateSignalementComment.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let comment = try await store.commentSignalement(
            input.path.signalementId, body: body.body,
            visibility: body.visibility.map(CommentVisibility.init) ?? .public, by: actor)
        return .created(.init(body: .json(.init(comment))))
    }

    func confirmSignalement(_ input: Operations.ConfirmSignalement.Input) async throws -> Operations.ConfirmSignalement.Output {
        let confirmation = try await store.confirmSignalement(input.path.signalementId, by: try RequestState.requireActor())
        let body = Components.Schemas.Confirmation(confirmationsCount: confirmation.confirmationsCount)
        return confirmation.created ? .created(.init(body: .json(body))) : .ok(.init(body: .json(body)))
    }

    func listSignalementEvents(_ input: Operations.ListSignalementEvents.Input) async throws -> Operations.ListSignalementEvents.Output {
        let actor = try RequestState.requireActor()
        let page = try await store.signalementEvents(
            input.path.signalementId,
            page: try PageRequest(limit: input.query.limit, cursor: input.query.cursor), by: actor)
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.Event.init), nextCursor: page.nextCursor))))
    }

    /// `status=a&status=b` or `status=a,b`, each a known state.
    static func statuses(_ values: [String]) throws(ValidationFailure) -> [SignalementStatus] {
        let parts: [String] = values.flatMap { $0.split(separator: ",").map { String($0).trimmingWhitespace } }
        return try parts.map { value throws(ValidationFailure) in
            guard let status = SignalementStatus(rawValue: value) else {
                throw ValidationFailure(
                    field: "status",
                    message: "\(value) is not a state; states: "
                        + SignalementStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return status
        }
    }

    /// `minLong,minLat,maxLong,maxLat` in WGS84, min before max.
    static func boundingBox(_ text: String) throws(ValidationFailure) -> BoundingBox {
        let numbers: [Double] = text.split(separator: ",", omittingEmptySubsequences: false)
            .compactMap { Double(String($0).trimmingWhitespace) }
        guard numbers.count == 4, numbers.allSatisfy(\.isFinite), numbers[0] <= numbers[2], numbers[1] <= numbers[3],
            (-180...180).contains(numbers[0]), (-180...180).contains(numbers[2]),
            (-90...90).contains(numbers[1]), (-90...90).contains(numbers[3])
        else {
            throw ValidationFailure(field: "bbox", message: "must be minLong,minLat,maxLong,maxLat in degrees, min before max")
        }
        return BoundingBox(minLong: numbers[0], minLat: numbers[1], maxLong: numbers[2], maxLat: numbers[3])
    }
}

extension APIHandler {
    func addSignalementPhoto(_ input: Operations.AddSignalementPhoto.Input) async throws -> Operations.AddSignalementPhoto.Output {
        let actor = try RequestState.requireActor()
        let declared: String =
            switch input.body {
            case .jpeg: "image/jpeg"
            case .png: "image/png"
            }
        // The bytes were read (and capped) by the body middleware.
        let photo = try await store.addPhoto(to: input.path.signalementId, bytes: RequestState.current.body, declaredType: declared, by: actor)
        return .created(.init(body: .json(.init(photo))))
    }

    func getSignalementPhoto(_ input: Operations.GetSignalementPhoto.Input) async throws -> Operations.GetSignalementPhoto.Output {
        let (photo, bytes) = try await store.photo(input.path.photoId, of: input.path.signalementId, by: try RequestState.requireActor())
        let body = HTTPBody(bytes)
        return .ok(
            .init(
                headers: .init(eTag: "\"\(photo.contentHash)\""),
                body: photo.mediaType == "image/png" ? .png(body) : .jpeg(body)))
    }

    /// A signalement as `actor` reads it, with the moves open to them now.
    func answer(_ signalement: Signalement, for actor: Actor) -> Components.Schemas.Signalement {
        .init(signalement, for: actor, now: store.clock.now().storedMilliseconds, reopenWindow: store.settings.reopenWindow)
    }
}
