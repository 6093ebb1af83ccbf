import Foundation
import SQLKit

/// A category as an Open311 service.
public struct PublicService: Sendable, Equatable {
    public var categoryId: String
    public var code: String
    public var name: String
    public var group: String?
}

/// A signalement as the public (Open311 `GET requests`) sees it: no personal data.
public struct PublicRequest: Sendable {
    public var signalement: Signalement
    public var serviceCode: String
    public var serviceName: String
    public var agency: String?
}

/// What `GET requests` asks for. `ids`, when given, overrides everything else (as the specification says).
public struct PublicRequestQuery: Sendable {
    public var ids: [String] = []
    public var serviceCodes: [String] = []
    public var from: Date
    public var to: Date
    /// nil: both; true: open only; false: closed only.
    public var open: Bool?
    public var limit = 1_000

    public init(from: Date, to: Date) {
        self.from = from
        self.to = to
    }
}

extension Actor {
    /// The anonymous reader of Open311's public lists: sees what any resident sees of others' signalements.
    public static let open311Public = Actor(
        kind: .user, id: "open311:public", role: .resident, partnerId: nil, territoryIds: [],
        tokenId: "open311:public", tokenExpiresAt: .max)
}

extension Store {
    /// The categories residents may file, with their parent's label as group, in code order.
    /// When the services last changed (a category created or changed), for Open311's `changeset`.
    public func servicesChangedAt() async throws -> Int64? {
        try await database.read { db in
            try await db.select().column(SQLFunction("MAX", args: SQLColumn("updated_at")), as: "changed").from("categories").first()?
                .decode(column: "changed", as: Int64?.self)
        }
    }

    public func publicServices() async throws -> [PublicService] {
        try await database.read { db in
            let rows = try await db.select().columns("id", "code", "label", "parent_id").from("categories")
                .where("resident_fileable", .equal, 1).orderBy("code").all()
            let labels = Dictionary(
                uniqueKeysWithValues: try await db.select().columns("id", "label").from("categories").all().map {
                    (try $0.decode(column: "id", as: String.self), try $0.decode(column: "label", as: String.self))
                })
            return try rows.map { row in
                PublicService(
                    categoryId: try row.decode(column: "id", as: String.self), code: try row.decode(column: "code", as: String.self),
                    name: try row.decode(column: "label", as: String.self),
                    group: try row.decode(column: "parent_id", as: String?.self).flatMap { labels[$0] })
            }
        }
    }

    /// Signalements for Open311's `GET requests`, newest first, without personal data.
    public func publicRequests(_ query: PublicRequestQuery) async throws -> [PublicRequest] {
        try await database.read { db in
            let select = db.select().columns(Self.signalementColumns.map { SQLColumn($0, table: "signalements") })
                .column(SQLColumn("code", table: "categories"), as: "service_code")
                .column(SQLColumn("label", table: "categories"), as: "service_name")
                .column(SQLColumn("name", table: "partners"), as: "agency")
                .from("signalements")
                .join("categories", on: SQLColumn("id", table: "categories"), .equal, SQLColumn("category_id", table: "signalements"))
                .join(
                    "partners", method: SQLJoinMethod.left, on: SQLColumn("id", table: "partners"), .equal,
                    SQLColumn("partner_id", table: "signalements"))
            if !query.ids.isEmpty {
                select.where(SQLColumn("id", table: "signalements"), .in, SQLBind.group(query.ids))
            } else {
                if !query.serviceCodes.isEmpty { select.where(SQLColumn("code", table: "categories"), .in, SQLBind.group(query.serviceCodes)) }
                select.where(SQLColumn("created_at", table: "signalements"), .greaterThanOrEqual, SQLBind(query.from.storedMilliseconds))
                    .where(SQLColumn("created_at", table: "signalements"), .lessThanOrEqual, SQLBind(query.to.storedMilliseconds))
                if let open = query.open {
                    select.where(
                        SQLColumn("status", table: "signalements"), open ? .in : .notIn,
                        SQLBind.group(SignalementStatus.open.map(\.rawValue)))
                }
            }
            let rows =
                try await select
                .orderBy(SQLOrderBy(expression: SQLColumn("created_at", table: "signalements"), direction: SQLDirection.descending))
                .orderBy(SQLOrderBy(expression: SQLColumn("id", table: "signalements"), direction: SQLDirection.descending))
                .limit(query.limit).all()
            let signalementRows = try rows.map(SignalementRow.init)
            let loaded = try await Self.completeSignalements(signalementRows, db)
            return try zip(rows, loaded).map { row, loaded in
                PublicRequest(
                    signalement: loaded.signalement.redacted(for: .open311Public, filedBy: loaded.filedBy),
                    serviceCode: try row.decode(column: "service_code", as: String.self),
                    serviceName: try row.decode(column: "service_name", as: String.self),
                    agency: try row.decode(column: "agency", as: String?.self))
            }
        }
    }
}
