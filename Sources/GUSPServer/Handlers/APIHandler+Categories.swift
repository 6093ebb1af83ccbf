import Foundation
import GUSPAPI
import GUSPCore

extension APIHandler {
    func listCategories(_ input: Operations.ListCategories.Input) async throws -> Operations.ListCategories.Output {
        let actor = try RequestState.requireActor()
        let filter = CategoryFilter(
            parentId: input.query.parent, residentFileable: input.query.residentFileable,
            updatedSince: input.query.updatedSince)
        let page = try await store.categories(filter, page: try PageRequest(limit: input.query.limit, cursor: input.query.cursor), by: actor)
        return .ok(.init(body: .json(.init(data: page.items.map(Components.Schemas.Category.init), nextCursor: page.nextCursor))))
    }

    func createCategory(_ input: Operations.CreateCategory.Input) async throws -> Operations.CreateCategory.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let category = try await store.createCategory(
            NewCategory(
                code: body.code, label: body.label, parentId: body.parentId, commitment: body.commitment?.commitment,
                residentFileable: body.residentFileable ?? true,
                defaultPartnerKind: body.defaultPartnerKind.map(PartnerKind.init)), by: actor)
        return .created(.init(headers: .init(eTag: etag(category.version)), body: .json(.init(category))))
    }

    func getCategory(_ input: Operations.GetCategory.Input) async throws -> Operations.GetCategory.Output {
        let category = try await store.category(input.path.categoryId, by: try RequestState.requireActor())
        return .ok(.init(headers: .init(eTag: etag(category.version)), body: .json(.init(category))))
    }

    func updateCategory(_ input: Operations.UpdateCategory.Input) async throws -> Operations.UpdateCategory.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let nulls = nullFields()
        for field in ["label", "resident_fileable"] where nulls.contains(field) {
            throw ValidationFailure(field: field, message: "cannot be null")
        }
        let changes = CategoryChanges(
            label: body.label, parentId: patch(body.parentId, "parent_id", nulls: nulls),
            commitment: patch(body.commitment?.commitment, "commitment", nulls: nulls), residentFileable: body.residentFileable,
            defaultPartnerKind: patch(body.defaultPartnerKind.flatMap { PartnerKind($0) }, "default_partner_kind", nulls: nulls))
        let category = try await store.updateCategory(
            input.path.categoryId, changes,
            ifVersion: expectedVersion(), by: actor)
        return .ok(.init(headers: .init(eTag: etag(category.version)), body: .json(.init(category))))
    }

    func deleteCategory(_ input: Operations.DeleteCategory.Input) async throws -> Operations.DeleteCategory.Output {
        try await store.deleteCategory(input.path.categoryId, by: try RequestState.requireActor())
        return .noContent(.init())
    }
}
