import Foundation
import GUSPDatabase
import SQLKit

/// What a change was made to.
public enum ResourceType: String, Sendable, Codable, CaseIterable {
    case partner, territory, category, user
    case apiKey = "api_key"
    case signalement
    case landParcel = "land_parcel"
    case convention, intervention
    case actionSheet = "action_sheet"
    case engagement
    case walk
    case meeting
}

/// One recorded change: who did what to which resource, when, and which fields moved.
public struct Event: Sendable, Equatable {
    public var id: String
    public var resourceType: ResourceType
    public var resourceId: String
    public var action: String
    public var actorId: String?
    public var actorRole: Role?
    public var changes: [String]
    public var occurredAt: Int64
    /// For state changes (signalements): the state before and after, and the mover's note.
    public var fromStatus: String? = nil
    public var toStatus: String? = nil
    public var note: String? = nil
}

enum EventLog {
    /// Appends an event inside the caller's transaction. `changes` are field names, never values,
    /// so that personal data does not spread into the history.
    static func append(
        _ db: any SQLDatabase, _ type: ResourceType, _ id: String, _ action: String,
        actor: Actor?, changes: [String] = [], from: String? = nil, to: String? = nil, note: String? = nil, at time: Int64
    ) async throws {
        let changesJSON = String(decoding: try JSONEncoder().encode(changes), as: UTF8.self)
        try await insert(
            [
                Event(
                    id: Identifier.make("evt"), resourceType: type, resourceId: id, action: action, actorId: actor?.id,
                    actorRole: actor?.role, changes: [], occurredAt: time, fromStatus: from, toStatus: to, note: note)
            ],
            changes: changesJSON, db)
    }

    /// Writes events in one statement (`changes` already as JSON text, the same for all).
    static func insert(_ events: [Event], changes: String = "[]", _ db: any SQLDatabase) async throws {
        try await rows(events, changes: changes).insert(db)
    }

    static func rows(_ events: [Event], changes: String = "[]") -> TableRows {
        var rows = TableRows(
            "events",
            [
                "id", "resource_type", "resource_id", "action", "actor_id", "actor_role", "changes",
                "from_status", "to_status", "note", "occurred_at",
            ])
        for event in events {
            rows.append([
                .text(event.id), .text(event.resourceType.rawValue), .text(event.resourceId), .text(event.action),
                .text(event.actorId), .text(event.actorRole?.rawValue), .text(changes),
                .text(event.fromStatus), .text(event.toStatus), .text(event.note), .integer(event.occurredAt),
            ])
        }
        return rows
    }
}
