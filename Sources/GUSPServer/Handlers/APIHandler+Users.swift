import Foundation
import GUSPAPI
import GUSPCore

extension APIHandler {
    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        let actor = try RequestState.requireActor()
        let filter = UserFilter(role: input.query.role?.role, partnerId: input.query.partner, updatedSince: input.query.updatedSince)
        let page = try await store.users(filter, page: try PageRequest(limit: input.query.limit, cursor: input.query.cursor), by: actor)
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.User.init), nextCursor: page.nextCursor))))
    }

    func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let user = try await store.createUser(
            NewUser(
                email: body.email, displayName: body.displayName, password: body.password, role: body.role.role,
                partnerId: body.partnerId, territoryIds: body.territoryIds ?? []), by: actor)
        return .created(.init(headers: .init(eTag: etag(user.version)), body: .json(.init(user))))
    }

    func getUser(_ input: Operations.GetUser.Input) async throws -> Operations.GetUser.Output {
        let user = try await store.user(input.path.userId, by: try RequestState.requireActor())
        return .ok(.init(headers: .init(eTag: etag(user.version)), body: .json(.init(user))))
    }

    func updateUser(_ input: Operations.UpdateUser.Input) async throws -> Operations.UpdateUser.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let nulls = nullFields()
        for field in ["email", "password", "role", "territory_ids"] where nulls.contains(field) {
            throw ValidationFailure(field: field, message: "cannot be null")
        }
        let changes = UserChanges(
            email: body.email, displayName: patch(body.displayName, "display_name", nulls: nulls), password: body.password,
            role: body.role?.role, partnerId: patch(body.partnerId, "partner_id", nulls: nulls), territoryIds: body.territoryIds,
            currentPassword: body.currentPassword)
        let user = try await store.updateUser(input.path.userId, changes, ifVersion: expectedVersion(), by: actor)
        return .ok(.init(headers: .init(eTag: etag(user.version)), body: .json(.init(user))))
    }

    func deleteUser(_ input: Operations.DeleteUser.Input) async throws -> Operations.DeleteUser.Output {
        try await store.deleteUser(input.path.userId, by: try RequestState.requireActor())
        return .noContent(.init())
    }

    func listEvents(_ input: Operations.ListEvents.Input) async throws -> Operations.ListEvents.Output {
        let actor = try RequestState.requireActor()
        let page = try await store.events(
            resourceType: input.query.resourceType.map(ResourceType.init), resourceId: input.query.resourceId,
            page: try PageRequest(limit: input.query.limit, cursor: input.query.cursor), by: actor)
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.Event.init), nextCursor: page.nextCursor))))
    }

    func listSecurityEvents(_ input: Operations.ListSecurityEvents.Input) async throws -> Operations.ListSecurityEvents.Output {
        let actor = try RequestState.requireActor()
        let page = try await store.securityEvents(
            SecurityEventFilter(kind: input.query.kind.map(SecurityEventKind.init), userId: input.query.userId, since: input.query.since),
            page: try PageRequest(limit: input.query.limit, cursor: input.query.cursor), by: actor)
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.SecurityEvent.init), nextCursor: page.nextCursor))))
    }
}
