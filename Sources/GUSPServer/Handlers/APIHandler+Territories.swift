import Foundation
import GUSPAPI
import GUSPCore

extension APIHandler {
    func listTerritories(_ input: Operations.ListTerritories.Input) async throws -> Operations.ListTerritories.Output {
        let actor = try RequestState.requireActor()
        let filter = TerritoryFilter(
            kind: input.query.kind.map(TerritoryKind.init),
            parentId: input.query.parent, code: input.query.code, updatedSince: input.query.updatedSince)
        let page = try await store.territories(filter, page: try PageRequest(limit: input.query.limit, cursor: input.query.cursor), by: actor)
        return .ok(.init(body: .json(.init(data: try page.items.map(Components.Schemas.Territory.init), nextCursor: page.nextCursor))))
    }

    func createTerritory(_ input: Operations.CreateTerritory.Input) async throws -> Operations.CreateTerritory.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let territory = try await store.createTerritory(
            NewTerritory(
                kind: TerritoryKind(body.kind), code: body.code, label: body.label, parentId: body.parentId,
                geometryJSON: try body.geometry?.jsonBytes), by: actor)
        return .created(.init(headers: .init(eTag: etag(territory.version)), body: .json(try .init(territory))))
    }

    func getTerritory(_ input: Operations.GetTerritory.Input) async throws -> Operations.GetTerritory.Output {
        let territory = try await store.territory(input.path.territoryId, by: try RequestState.requireActor())
        return .ok(.init(headers: .init(eTag: etag(territory.version)), body: .json(try .init(territory))))
    }

    func updateTerritory(_ input: Operations.UpdateTerritory.Input) async throws -> Operations.UpdateTerritory.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let nulls = nullFields()
        if nulls.contains("label") { throw ValidationFailure(field: "label", message: "cannot be null") }
        let geometry: [UInt8]?? = try body.geometry.map { .some(try $0.jsonBytes) } ?? (nulls.contains("geometry") ? .some(nil) : nil)
        let changes = TerritoryChanges(label: body.label, parentId: patch(body.parentId, "parent_id", nulls: nulls), geometryJSON: geometry)
        let territory = try await store.updateTerritory(
            input.path.territoryId, changes,
            ifVersion: expectedVersion(), by: actor)
        return .ok(.init(headers: .init(eTag: etag(territory.version)), body: .json(try .init(territory))))
    }

    func deleteTerritory(_ input: Operations.DeleteTerritory.Input) async throws -> Operations.DeleteTerritory.Output {
        try await store.deleteTerritory(input.path.territoryId, by: try RequestState.requireActor())
        return .noContent(.init())
    }
}
