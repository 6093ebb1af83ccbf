import Foundation
import SQLKit

private struct CategoryRow: Decodable {
    var id: String, code: String, label: String, parentId: String?, commitmentAmount: Int?, commitmentUnit: String?
    var residentFileable: Int, defaultPartnerKind: String?, version: Int, createdAt: Int64, updatedAt: Int64

    var category: Category {
        let commitment = zip(commitmentAmount, commitmentUnit.flatMap(CommitmentUnit.init(rawValue:)))
            .map { Commitment(amount: $0, unit: $1) }
        return Category(
            id: id, code: code, label: label, parentId: parentId, commitment: commitment,
            residentFileable: residentFileable != 0,
            defaultPartnerKind: defaultPartnerKind.flatMap(PartnerKind.init(rawValue:)), version: version, createdAt: createdAt, updatedAt: updatedAt)
    }
}

private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}

public struct CategoryFilter: Sendable {
    public var parentId: String?
    public var residentFileable: Bool?
    /// Only rows created or changed at or after this time.
    public var updatedSince: Date?
    public init(parentId: String? = nil, residentFileable: Bool? = nil, updatedSince: Date? = nil) {
        self.updatedSince = updatedSince
        self.parentId = parentId
        self.residentFileable = residentFileable
    }
}

extension Store {
    public func categories(_ filter: CategoryFilter, page: PageRequest, by actor: Actor) async throws -> Page<Category> {
        try Permissions.requireRole(actor, .readCategory)
        let rows = try await database.read { db in
            let query = db.select().column(SQLLiteral.all).from("categories")
            if let parent = filter.parentId { query.where("parent_id", .equal, parent) }
            if let fileable = filter.residentFileable { query.where("resident_fileable", .equal, fileable ? 1 : 0) }
            return try await query.updated(since: filter.updatedSince, table: "categories").paged(page, table: "categories")
                .all(decoding: CategoryRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
        return Page(rows: rows.map(\.category), request: page) { PageCursor(createdAt: $0.createdAt, id: $0.id) }
    }

    public func category(_ id: String, by actor: Actor) async throws -> Category {
        guard let category = try await database.read({ try await Self.loadCategory(id, $0) }),
            Permissions.allows(actor, .readCategory, on: .global)
        else {
            throw DomainError.notFound("category not found")
        }
        return category
    }

    public func createCategory(_ new: NewCategory, by actor: Actor) async throws -> Category {
        try Permissions.requireRole(actor, .createCategory)
        var check = Validator()
        check.text(new.label, "label", maxLength: 200)
        check.check(Self.isCategoryCode(new.code), "code", "must be 1–64 lowercase letters, digits or _")
        if let commitment = new.commitment { Self.checkCommitment(commitment, into: &check) }
        try check.throwIfFailed()
        let now = nowMilliseconds
        let category = Category(
            id: Identifier.make("cat"), code: new.code, label: new.label.trimmingWhitespace,
            parentId: new.parentId, commitment: new.commitment, residentFileable: new.residentFileable,
            defaultPartnerKind: new.defaultPartnerKind, version: 1, createdAt: now, updatedAt: now)
        return try await writeReference { db in
            if let parent = new.parentId, try await Self.loadCategory(parent, db) == nil {
                throw ValidationFailure(field: "parent_id", message: "is not a known category")
            }
            try await db.insertUnique(
                db.insert(into: "categories")
                    .columns(
                        "id", "code", "label", "parent_id", "commitment_amount", "commitment_unit", "resident_fileable",
                        "default_partner_kind", "version", "created_at", "updated_at"
                    )
                    .values(
                        SQLBind(category.id), SQLBind(category.code), SQLBind(category.label), SQLBind(category.parentId),
                        SQLBind(category.commitment?.amount), SQLBind(category.commitment?.unit.rawValue),
                        SQLBind(category.residentFileable ? 1 : 0), SQLBind(category.defaultPartnerKind?.rawValue), SQLBind(1), SQLBind(now),
                        SQLBind(now)),
                whenDuplicate: "a category with code \(new.code) already exists")
            try await EventLog.append(db, .category, category.id, "created", actor: actor, at: now)
            return category
        }
    }

    public func updateCategory(_ id: String, _ changes: CategoryChanges, ifVersion: Int?, by actor: Actor) async throws -> Category {
        try Permissions.requireRole(actor, .updateCategory)
        var check = Validator()
        if let label = changes.label { check.text(label, "label", maxLength: 200) }
        if let commitment = changes.commitment ?? nil { Self.checkCommitment(commitment, into: &check) }
        try check.throwIfFailed()
        let now = nowMilliseconds
        return try await writeReference { db in
            guard var category = try await Self.loadCategory(id, db, forUpdate: true) else { throw DomainError.notFound("category not found") }
            try Permissions.require(actor, .updateCategory, on: .global, visibility: .readCategory, resource: "category")
            if let expected = ifVersion, expected != category.version { throw DomainError.versionMismatch(current: category.version) }
            if let label = changes.label { category.label = label.trimmingWhitespace }
            if let commitment = changes.commitment { category.commitment = commitment }
            if let fileable = changes.residentFileable { category.residentFileable = fileable }
            if let kind = changes.defaultPartnerKind { category.defaultPartnerKind = kind }
            if let parent = changes.parentId {
                if let parent {
                    try await Hierarchy.checkParent(parent, of: id, kind: "category") { try await Self.loadCategory($0, db).map(\.parentId) }
                }
                category.parentId = parent
            }
            category.version += 1
            category.updatedAt = now
            try await db.update("categories")
                .set("label", to: category.label).set("parent_id", to: category.parentId)
                .set("commitment_amount", to: category.commitment?.amount)
                .set("commitment_unit", to: category.commitment?.unit.rawValue)
                .set("resident_fileable", to: category.residentFileable ? 1 : 0)
                .set("default_partner_kind", to: category.defaultPartnerKind?.rawValue)
                .set("version", to: category.version).set("updated_at", to: now)
                .where("id", .equal, id).run()
            try await EventLog.append(db, .category, id, "updated", actor: actor, changes: changes.changedFields, at: now)
            return category
        }
    }

    public func deleteCategory(_ id: String, by actor: Actor) async throws {
        try Permissions.requireRole(actor, .deleteCategory)
        let now = nowMilliseconds
        try await writeReference { db in
            guard try await Self.loadCategory(id, db, forUpdate: true) != nil else { throw DomainError.notFound("category not found") }
            try Permissions.require(actor, .deleteCategory, on: .global, visibility: .readCategory, resource: "category")
            try await db.deleteRow(from: "categories", id: id, whenReferenced: "the category is still used (it has sub-categories)")
            try await EventLog.append(db, .category, id, "deleted", actor: actor, at: now)
        }
    }

    static func loadCategory(_ id: String, _ db: any SQLDatabase, forUpdate: Bool = false) async throws -> Category? {
        let query = db.select().column(SQLLiteral.all).from("categories").where("id", .equal, id)
        if forUpdate { query.for(.update) }
        return try await query.first(decoding: CategoryRow.self, keyDecodingStrategy: .convertFromSnakeCase)?.category
    }

    static func isCategoryCode(_ code: String) -> Bool {
        (1...64).contains(code.count) && code.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    static func checkCommitment(_ commitment: Commitment, into check: inout Validator) {
        check.check(
            (1...Commitment.maximumAmount).contains(commitment.amount), "commitment.amount",
            "must be between 1 and \(Commitment.maximumAmount)")
    }
}
