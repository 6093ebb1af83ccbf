import Foundation
import GUSPAPI
import GUSPCore

extension APIHandler {
    func upsertIntervention(_ input: Operations.UpsertIntervention.Input) async throws -> Operations.UpsertIntervention.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let result = try await store.upsertIntervention(
            partnerId: input.path.partnerId, externalId: input.path.externalId, try body.report(),
            ifVersion: expectedVersion(), by: actor)
        let outcome = Components.Headers.UpsertOutcome(result.outcome)
        let representation = Components.Schemas.Intervention(result.intervention)
        let tag = etag(result.intervention.version)
        if result.outcome == .created {
            return .created(.init(headers: .init(eTag: tag, upsertOutcome: outcome), body: .json(representation)))
        }
        return .ok(.init(headers: .init(eTag: tag, upsertOutcome: outcome), body: .json(representation)))
    }

    func batchInterventions(_ input: Operations.BatchInterventions.Input) async throws -> Operations.BatchInterventions.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        // Each item is read on its own, so that one that cannot be read is refused alone.
        let decoder = JSONDecoder()
        let dates = RFC3339Dates()
        decoder.dateDecodingStrategy = .custom { try dates.decode(try $0.singleValueContainer().decode(String.self)) }
        let items = try body.items.map { item in
            let json = try JSONEncoder().encode(item)
            let externalId = item.additionalProperties.value["external_id"] as? String ?? ""
            do {
                let decoded = try decoder.decode(Components.Schemas.InterventionBatchItem.self, from: json)
                return InterventionBatchItem(externalId: decoded.value2.externalId, report: try decoded.value1.report())
            } catch let failure as DecodingError {
                return InterventionBatchItem(externalId: externalId, refusal: ErrorMapping.problem(for: failure))
            } catch {
                return InterventionBatchItem(externalId: externalId, refusal: error)
            }
        }
        let results = try await store.upsertInterventions(partnerId: input.path.partnerId, items, by: actor)
        var counts: [String: Int] = [:]
        let data: [Components.Schemas.InterventionBatchResult] = results.map { result in
            if let upsert = result.upsert {
                counts[upsert.outcome.rawValue, default: 0] += 1
                return .init(
                    index: result.index, externalId: result.externalId, outcome: .init(upsert.outcome),
                    interventionId: upsert.intervention.id, version: upsert.intervention.version)
            }
            counts["error", default: 0] += 1
            let refusal = Self.itemRefusal(result.error, index: result.index)
            return .init(
                index: result.index, externalId: result.externalId, outcome: .error, status: refusal.status, detail: refusal.detail,
                errors: refusal.errors)
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        data: data, created: counts["created"] ?? 0, updated: counts["updated"] ?? 0,
                        unchanged: counts["unchanged"] ?? 0, failed: counts["error"] ?? 0))))
    }

    func listInterventions(_ input: Operations.ListInterventions.Input) async throws -> Operations.ListInterventions.Output {
        let actor = try RequestState.requireActor()
        let query = input.query
        let filter = InterventionFilter(
            partnerId: query.partner, territoryId: query.territory,
            status: query.status.map(InterventionStatus.init), atfpbAxis: query.axis,
            from: query.from, to: query.to, updatedSince: query.updatedSince)
        let page = try await store.interventions(filter, page: try PageRequest(limit: query.limit, cursor: query.cursor), by: actor)
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.Intervention.init), nextCursor: page.nextCursor))))
    }

    func getIntervention(_ input: Operations.GetIntervention.Input) async throws -> Operations.GetIntervention.Output {
        let intervention = try await store.intervention(input.path.interventionId, by: try RequestState.requireActor())
        return .ok(.init(headers: .init(eTag: etag(intervention.version)), body: .json(.init(intervention))))
    }

    func listInterventionEvents(_ input: Operations.ListInterventionEvents.Input) async throws -> Operations.ListInterventionEvents.Output {
        let page = try await store.events(
            resourceType: .intervention, resourceId: input.path.interventionId,
            page: try PageRequest(limit: input.query.limit, cursor: input.query.cursor),
            by: try RequestState.requireActor())
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.Event.init), nextCursor: page.nextCursor))))
    }
}
