import Foundation
import GUSPAPI
import GUSPCore
import OpenAPIRuntime

extension APIHandler {
    func listObservationGrids(_ input: Operations.ListObservationGrids.Input) async throws -> Operations.ListObservationGrids.Output {
        let grids = try await store.observationGrids(by: try RequestState.requireActor())
        return .ok(.init(body: .json(.init(data: grids.map(Components.Schemas.ObservationGrid.init)))))
    }

    func createObservationGrid(_ input: Operations.CreateObservationGrid.Input) async throws -> Operations.CreateObservationGrid.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let grid = try await store.createObservationGrid(
            code: body.code, label: body.label,
            items: body.items.map { GridItem(code: $0.code, label: $0.label, theme: $0.theme, answerType: .init($0.answerType)) },
            by: actor)
        return .created(.init(body: .json(.init(grid))))
    }

    func getObservationGrid(_ input: Operations.GetObservationGrid.Input) async throws -> Operations.GetObservationGrid.Output {
        .ok(.init(body: .json(.init(try await store.observationGrid(input.path.gridId, by: try RequestState.requireActor())))))
    }

    func listWalks(_ input: Operations.ListWalks.Input) async throws -> Operations.ListWalks.Output {
        let actor = try RequestState.requireActor()
        let query = input.query
        let filter = WalkFilter(
            territoryId: query.territory, partnerId: query.partner, kind: query.kind.map(WalkKind.init),
            status: query.status.map(WalkStatus.init), seriesId: query.seriesId, updatedSince: query.updatedSince)
        let page = try await store.walks(filter, page: try PageRequest(limit: query.limit, cursor: query.cursor), by: actor)
        return .ok(.init(body: .json(.init(data: page.items.map { .init($0, for: actor) }, nextCursor: page.nextCursor))))
    }

    func createWalk(_ input: Operations.CreateWalk.Input) async throws -> Operations.CreateWalk.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let walk = try await store.createWalk(
            NewWalk(
                kind: .init(body.kind), title: body.title, territoryId: body.territoryId, startsAt: body.startsAt, endsAt: body.endsAt,
                timeOfDay: body.timeOfDay.map(WalkTimeOfDay.init) ?? .day, meetingPoint: body.meetingPoint,
                routeJSON: try body.route?.jsonBytes, stops: (body.stops ?? []).map(WalkStop.init), gridId: body.gridId,
                organiserPartnerId: body.organiserPartnerId, invitedPartnerIds: body.invitedPartnerIds ?? [],
                referentUserId: body.referentUserId, conventionId: body.conventionId, seriesId: body.seriesId),
            by: actor)
        return .created(.init(headers: .init(eTag: etag(walk.version)), body: .json(.init(walk, for: actor))))
    }

    func getWalk(_ input: Operations.GetWalk.Input) async throws -> Operations.GetWalk.Output {
        let actor = try RequestState.requireActor()
        let walk = try await store.walk(input.path.walkId, by: actor)
        return .ok(.init(headers: .init(eTag: etag(walk.version)), body: .json(.init(walk, for: actor))))
    }

    func updateWalk(_ input: Operations.UpdateWalk.Input) async throws -> Operations.UpdateWalk.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let nulls = nullFields()
        for field in ["title", "starts_at", "ends_at", "time_of_day", "stops", "invited_partner_ids"] where nulls.contains(field) {
            throw ValidationFailure(field: field, message: "cannot be null")
        }
        let route: [UInt8]?? = nulls.contains("route") ? .some(nil) : try body.route.map { .some(try $0.jsonBytes) }
        let changes = WalkChanges(
            title: body.title, startsAt: body.startsAt, endsAt: body.endsAt, timeOfDay: body.timeOfDay.map(WalkTimeOfDay.init),
            meetingPoint: patch(body.meetingPoint, "meeting_point", nulls: nulls), routeJSON: route, stops: body.stops?.map(WalkStop.init),
            invitedPartnerIds: body.invitedPartnerIds, referentUserId: patch(body.referentUserId, "referent_user_id", nulls: nulls))
        let walk = try await store.updateWalk(input.path.walkId, changes, ifVersion: expectedVersion(), by: actor)
        return .ok(.init(headers: .init(eTag: etag(walk.version)), body: .json(.init(walk, for: actor))))
    }

    func transitionWalk(_ input: Operations.TransitionWalk.Input) async throws -> Operations.TransitionWalk.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let walk = try await store.transitionWalk(input.path.walkId, to: .init(body.to), note: body.note, ifVersion: expectedVersion(), by: actor)
        return .ok(.init(headers: .init(eTag: etag(walk.version)), body: .json(.init(walk, for: actor))))
    }

    func setWalkAttendance(_ input: Operations.SetWalkAttendance.Input) async throws -> Operations.SetWalkAttendance.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let walk = try await store.setWalkAttendance(
            input.path.walkId,
            counts: body.counts.map { AttendanceCount(role: .init($0.role), ageBand: $0.ageBand.map(AgeBand.init), count: $0.count) },
            presentPartnerIds: body.presentPartnerIds ?? [], ifVersion: expectedVersion(), by: actor)
        return .ok(.init(headers: .init(eTag: etag(walk.version)), body: .json(.init(walk, for: actor))))
    }

    func listObservations(_ input: Operations.ListObservations.Input) async throws -> Operations.ListObservations.Output {
        let page = try await store.observations(
            input.path.walkId, page: try PageRequest(limit: input.query.limit, cursor: input.query.cursor),
            by: try RequestState.requireActor())
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.Observation.init), nextCursor: page.nextCursor))))
    }

    func addObservation(_ input: Operations.AddObservation.Input) async throws -> Operations.AddObservation.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let outcome = try await store.addObservations(input.path.walkId, [NewObservation(body)], by: actor)[0]
        if let error = outcome.error { throw error }
        let observation = Components.Schemas.Observation(outcome.observation!)
        return outcome.replayed ? .ok(.init(body: .json(observation))) : .created(.init(body: .json(observation)))
    }

    func batchObservations(_ input: Operations.BatchObservations.Input) async throws -> Operations.BatchObservations.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let outcomes = try await store.addObservations(input.path.walkId, body.items.map(NewObservation.init), by: actor)
        var counts = (created: 0, replayed: 0, failed: 0)
        let data: [Components.Schemas.ObservationBatchResult] = outcomes.map { outcome in
            if let observation = outcome.observation {
                if outcome.replayed { counts.replayed += 1 } else { counts.created += 1 }
                return .init(
                    index: outcome.index, clientId: outcome.clientId, outcome: outcome.replayed ? .replayed : .created,
                    observationId: observation.id)
            }
            counts.failed += 1
            let refusal = Self.itemRefusal(outcome.error, index: outcome.index)
            return .init(
                index: outcome.index, clientId: outcome.clientId, outcome: .error, status: refusal.status, detail: refusal.detail,
                errors: refusal.errors)
        }
        return .ok(.init(body: .json(.init(data: data, created: counts.created, replayed: counts.replayed, failed: counts.failed))))
    }

    func convertObservations(_ input: Operations.ConvertObservations.Input) async throws -> Operations.ConvertObservations.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let items = body.items.map {
            ObservationConversion(
                observationId: $0.observationId, target: .init($0.to), categoryId: $0.categoryId, description: $0.description,
                title: $0.title, leadPartnerId: $0.leadPartnerId, partnerIds: $0.partnerIds ?? [], dueDate: $0.dueDate,
                isPublic: $0._public ?? false)
        }
        let outcomes = try await store.convertObservations(input.path.walkId, items, by: actor)
        var failed = 0
        let data: [Components.Schemas.ConversionResult] = outcomes.map { outcome in
            if outcome.signalement != nil || outcome.engagement != nil {
                return .init(
                    index: outcome.index, observationId: outcome.observationId, outcome: .converted,
                    signalementId: outcome.signalement?.id, engagementId: outcome.engagement?.id)
            }
            failed += 1
            let refusal = Self.itemRefusal(outcome.error, index: outcome.index)
            return .init(
                index: outcome.index, observationId: outcome.observationId, outcome: .error, status: refusal.status,
                detail: refusal.detail, errors: refusal.errors)
        }
        return .ok(.init(body: .json(.init(data: data, converted: data.count - failed, failed: failed))))
    }

    func getWalkReport(_ input: Operations.GetWalkReport.Input) async throws -> Operations.GetWalkReport.Output {
        let actor = try RequestState.requireActor()
        let format = try Self.negotiate(input.headers.accept, among: ["application/json", "text/csv", "text/markdown", "text/html"])
        let report = try await store.walkReport(input.path.walkId, asOf: input.query.asOf, version: input.query.version, by: actor)
        switch format {
        case "text/csv": return .ok(.init(body: .csv(.init(report.csv))))
        case "text/markdown": return .ok(.init(body: .textMarkdown(.init(report.markdown))))
        case "text/html": return .ok(.init(body: .html(.init(report.html))))
        default: return .ok(.init(body: .json(.init(report, for: actor))))
        }
    }

    func publishWalkReport(_ input: Operations.PublishWalkReport.Input) async throws -> Operations.PublishWalkReport.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let report = try await store.publishWalkReport(input.path.walkId, summary: body.summary, ifVersion: expectedVersion(), by: actor)
        return .created(.init(headers: .init(eTag: etag(report.walk.version)), body: .json(.init(report, for: actor))))
    }

    func addObservationPhoto(_ input: Operations.AddObservationPhoto.Input) async throws -> Operations.AddObservationPhoto.Output {
        let actor = try RequestState.requireActor()
        let declared: String =
            switch input.body {
            case .jpeg: "image/jpeg"
            case .png: "image/png"
            }
        // The bytes were read (and capped) by the body middleware.
        let photo = try await store.addObservationPhoto(
            walkId: input.path.walkId, observationId: input.path.observationId, bytes: RequestState.current.body, declaredType: declared,
            by: actor)
        return .created(.init(body: .json(.init(photo))))
    }

    func getWalkPhoto(_ input: Operations.GetWalkPhoto.Input) async throws -> Operations.GetWalkPhoto.Output {
        let (photo, bytes) = try await store.walkPhoto(walkId: input.path.walkId, photoId: input.path.photoId, by: try RequestState.requireActor())
        let body = HTTPBody(bytes)
        return .ok(.init(headers: .init(eTag: "\"\(photo.contentHash)\""), body: photo.mediaType == "image/png" ? .png(body) : .jpeg(body)))
    }

    func updateWalkPhoto(_ input: Operations.UpdateWalkPhoto.Input) async throws -> Operations.UpdateWalkPhoto.Output {
        let body: Components.Schemas.WalkPhotoUpdate =
            switch input.body {
            case .json(let body): body
            case .applicationMergePatchJson(let body): body
            }
        let photo = try await store.publishWalkPhoto(
            walkId: input.path.walkId, photoId: input.path.photoId, published: body.published, by: try RequestState.requireActor())
        return .ok(.init(body: .json(.init(photo))))
    }

    func listWalkEvents(_ input: Operations.ListWalkEvents.Input) async throws -> Operations.ListWalkEvents.Output {
        let page = try await store.events(
            resourceType: .walk, resourceId: input.path.walkId,
            page: try PageRequest(limit: input.query.limit, cursor: input.query.cursor),
            by: try RequestState.requireActor())
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.Event.init), nextCursor: page.nextCursor))))
    }
}
