import Foundation
import GUSPAPI
import GUSPCore

extension APIHandler {
    func listPartners(_ input: Operations.ListPartners.Input) async throws -> Operations.ListPartners.Output {
        let actor = try RequestState.requireActor()
        let filter = PartnerFilter(
            kind: input.query.kind.map(PartnerKind.init),
            territoryId: input.query.territory, updatedSince: input.query.updatedSince)
        let page = try await store.partners(filter, page: try PageRequest(limit: input.query.limit, cursor: input.query.cursor), by: actor)
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.Partner.init), nextCursor: page.nextCursor))))
    }

    func createPartner(_ input: Operations.CreatePartner.Input) async throws -> Operations.CreatePartner.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let partner = try await store.createPartner(
            NewPartner(
                kind: PartnerKind(body.kind), name: body.name, siren: body.siren,
                territoryIds: body.territoryIds ?? [], contactEmail: body.contactEmail, contactPhone: body.contactPhone), by: actor)
        return .created(.init(headers: .init(eTag: etag(partner.version)), body: .json(.init(partner))))
    }

    func getPartner(_ input: Operations.GetPartner.Input) async throws -> Operations.GetPartner.Output {
        let partner = try await store.partner(input.path.partnerId, by: try RequestState.requireActor())
        return .ok(.init(headers: .init(eTag: etag(partner.version)), body: .json(.init(partner))))
    }

    func updatePartner(_ input: Operations.UpdatePartner.Input) async throws -> Operations.UpdatePartner.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let nulls = nullFields()
        for field in ["kind", "name", "territory_ids"] where nulls.contains(field) {
            throw ValidationFailure(field: field, message: "cannot be null")
        }
        let changes = PartnerChanges(
            kind: body.kind.map(PartnerKind.init), name: body.name,
            siren: patch(body.siren, "siren", nulls: nulls), territoryIds: body.territoryIds,
            referentUserId: patch(body.referentUserId, "referent_user_id", nulls: nulls),
            contactEmail: patch(body.contactEmail, "contact_email", nulls: nulls),
            contactPhone: patch(body.contactPhone, "contact_phone", nulls: nulls))
        let partner = try await store.updatePartner(input.path.partnerId, changes, ifVersion: expectedVersion(), by: actor)
        return .ok(.init(headers: .init(eTag: etag(partner.version)), body: .json(.init(partner))))
    }

    func deletePartner(_ input: Operations.DeletePartner.Input) async throws -> Operations.DeletePartner.Output {
        try await store.deletePartner(input.path.partnerId, by: try RequestState.requireActor())
        return .noContent(.init())
    }

    func listApiKeys(_ input: Operations.ListApiKeys.Input) async throws -> Operations.ListApiKeys.Output {
        let actor = try RequestState.requireActor()
        let page = try await store.apiKeys(
            partnerId: input.path.partnerId,
            page: try PageRequest(limit: input.query.limit, cursor: input.query.cursor), by: actor)
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.ApiKey.init), nextCursor: page.nextCursor))))
    }

    func createApiKey(_ input: Operations.CreateApiKey.Input) async throws -> Operations.CreateApiKey.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let issued = try await store.createApiKey(partnerId: input.path.partnerId, name: body.name, expiresAt: body.expiresAt, by: actor)
        return .created(.init(headers: .init(cacheControl: "no-store"), body: .json(.init(apiKey: .init(issued.record), key: issued.secret))))
    }

    func revokeApiKey(_ input: Operations.RevokeApiKey.Input) async throws -> Operations.RevokeApiKey.Output {
        try await store.revokeApiKey(partnerId: input.path.partnerId, keyId: input.path.keyId, by: try RequestState.requireActor())
        return .noContent(.init())
    }
}
