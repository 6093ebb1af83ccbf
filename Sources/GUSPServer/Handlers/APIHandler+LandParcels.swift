import Foundation
import GUSPAPI
import GUSPCore

extension APIHandler {
    func listLandParcels(_ input: Operations.ListLandParcels.Input) async throws -> Operations.ListLandParcels.Output {
        let actor = try RequestState.requireActor()
        let filter = LandParcelFilter(
            partnerId: input.query.partner, containing: try input.query.contains.map(Self.point),
            updatedSince: input.query.updatedSince)
        let page = try await store.landParcels(filter, page: try PageRequest(limit: input.query.limit, cursor: input.query.cursor), by: actor)
        return .ok(.init(body: .json(.init(data: try page.items.map(Components.Schemas.LandParcel.init), nextCursor: page.nextCursor))))
    }

    func createLandParcel(_ input: Operations.CreateLandParcel.Input) async throws -> Operations.CreateLandParcel.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let parcel = try await store.createLandParcel(
            NewLandParcel(
                label: body.label, partnerId: body.partnerId, categoryIds: body.categoryIds ?? [], geometryJSON: try body.geometry.jsonBytes,
                validFrom: body.validFrom, validTo: body.validTo), by: actor)
        return .created(.init(headers: .init(eTag: etag(parcel.version)), body: .json(try .init(parcel))))
    }

    func importLandParcels(_ input: Operations.ImportLandParcels.Input) async throws -> Operations.ImportLandParcels.Output {
        let actor = try RequestState.requireActor()
        let parcels = try await store.importLandParcels(featureCollection: RequestState.current.body, by: actor)
        return .created(.init(body: .json(.init(created: parcels.count, ids: parcels.map(\.id)))))
    }

    func getLandParcel(_ input: Operations.GetLandParcel.Input) async throws -> Operations.GetLandParcel.Output {
        let parcel = try await store.landParcel(input.path.landParcelId, by: try RequestState.requireActor())
        return .ok(.init(headers: .init(eTag: etag(parcel.version)), body: .json(try .init(parcel))))
    }

    func updateLandParcel(_ input: Operations.UpdateLandParcel.Input) async throws -> Operations.UpdateLandParcel.Output {
        let actor = try RequestState.requireActor()
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: nil) }
        let nulls = nullFields()
        for field in ["label", "partner_id", "category_ids", "geometry"] where nulls.contains(field) {
            throw ValidationFailure(field: field, message: "cannot be null")
        }
        let changes = LandParcelChanges(
            label: body.label, partnerId: body.partnerId, categoryIds: body.categoryIds, geometryJSON: try body.geometry?.jsonBytes,
            validFrom: patch(body.validFrom, "valid_from", nulls: nulls), validTo: patch(body.validTo, "valid_to", nulls: nulls))
        let parcel = try await store.updateLandParcel(input.path.landParcelId, changes, ifVersion: expectedVersion(), by: actor)
        return .ok(.init(headers: .init(eTag: etag(parcel.version)), body: .json(try .init(parcel))))
    }

    func deleteLandParcel(_ input: Operations.DeleteLandParcel.Input) async throws -> Operations.DeleteLandParcel.Output {
        try await store.deleteLandParcel(input.path.landParcelId, by: try RequestState.requireActor())
        return .noContent(.init())
    }

    /// `lat,long` in WGS84.
    static func point(_ text: String) throws(ValidationFailure) -> Position {
        let numbers: [Double] = text.split(separator: ",", omittingEmptySubsequences: false).compactMap { Double(String($0).trimmingWhitespace) }
        guard numbers.count == 2, (-90...90).contains(numbers[0]), (-180...180).contains(numbers[1]) else {
            throw ValidationFailure(field: "contains", message: "must be lat,long in degrees")
        }
        return Position(long: numbers[1], lat: numbers[0])
    }
}
