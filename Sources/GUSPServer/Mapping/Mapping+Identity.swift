import Foundation
import GUSPAPI
import GUSPCore

extension Components.Schemas.User {
    init(_ user: User) {
        self.init(
            id: user.id, email: user.email, displayName: user.displayName, role: .init(user.role),
            partnerId: user.partnerId, territoryIds: user.territoryIds, version: user.version,
            createdAt: Date(storedMilliseconds: user.createdAt), updatedAt: Date(storedMilliseconds: user.updatedAt))
    }
}

extension Components.Schemas.ApiKey {
    init(_ key: ApiKey) {
        self.init(
            id: key.id, partnerId: key.partnerId, name: key.name, prefix: key.prefix,
            createdAt: Date(storedMilliseconds: key.createdAt), expiresAt: Date(storedMilliseconds: key.expiresAt),
            revokedAt: key.revokedAt.map(Date.init(storedMilliseconds:)), lastUsedAt: key.lastUsedAt.map(Date.init(storedMilliseconds:)))
    }
}

extension Components.Schemas.Event {
    init(_ event: Event) {
        self.init(
            id: event.id, resourceType: .init(event.resourceType), resourceId: event.resourceId,
            action: event.action, actorId: event.actorId, actorRole: event.actorRole.map(Components.Schemas.Role.init),
            occurredAt: Date(storedMilliseconds: event.occurredAt), changes: event.changes,
            fromStatus: event.fromStatus, toStatus: event.toStatus, note: event.note)
    }
}

extension Components.Schemas.SecurityEvent {
    init(_ event: SecurityEvent) {
        self.init(
            id: event.id, kind: .init(event.kind), actorId: event.actorId, userId: event.userId, apiKeyId: event.apiKeyId,
            address: event.address, detail: event.detail, occurredAt: Date(storedMilliseconds: event.occurredAt))
    }
}
