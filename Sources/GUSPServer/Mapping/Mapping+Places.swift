import Foundation
import GUSPAPI
import GUSPCore
import GUSPDatabase

extension Components.Schemas.Partner {
    init(_ partner: Partner) {
        self.init(
            id: partner.id, kind: .init(partner.kind), name: partner.name, siren: partner.siren,
            territoryIds: partner.territoryIds, referentUserId: partner.referentUserId,
            contactEmail: partner.contactEmail, contactPhone: partner.contactPhone, version: partner.version,
            createdAt: Date(storedMilliseconds: partner.createdAt), updatedAt: Date(storedMilliseconds: partner.updatedAt))
    }
}

extension Components.Schemas.Territory {
    /// Lists carry only whether a geometry exists (an empty text); a single read carries the geometry.
    init(_ territory: Territory) throws {
        var geometry: Components.Schemas.Geometry?
        if let text = territory.geometry, !text.isEmpty {
            do {
                geometry = try JSONDecoder().decode(Components.Schemas.Geometry.self, from: Data(text.utf8))
            } catch {
                throw StorageFailure(description: "the stored geometry of \(territory.id) is not GeoJSON")
            }
        }
        self.init(
            id: territory.id, kind: .init(territory.kind), code: territory.code,
            label: territory.label, parentId: territory.parentId, hasGeometry: territory.geometry != nil,
            geometry: geometry, version: territory.version,
            createdAt: Date(storedMilliseconds: territory.createdAt), updatedAt: Date(storedMilliseconds: territory.updatedAt))
    }
}

/// A free-form geometry as the client sent it, back to JSON bytes for the domain's GeoJSON validation.
protocol GeometryDocument: Encodable {}
extension Components.Schemas.Geometry: GeometryDocument {}
extension Components.Schemas.TerritoryUpdate.GeometryPayload: GeometryDocument {}

extension GeometryDocument {
    var jsonBytes: [UInt8] {
        get throws { Array(try JSONEncoder().encode(self)) }
    }
}

extension Components.Schemas.Category {
    init(_ category: GUSPCore.Category) {
        self.init(
            id: category.id, code: category.code, label: category.label, parentId: category.parentId,
            commitment: category.commitment.map(Components.Schemas.Commitment.init),
            residentFileable: category.residentFileable,
            defaultPartnerKind: category.defaultPartnerKind.map(Components.Schemas.PartnerKind.init), version: category.version,
            createdAt: Date(storedMilliseconds: category.createdAt), updatedAt: Date(storedMilliseconds: category.updatedAt))
    }
}

extension Components.Schemas.Commitment {
    init(_ commitment: Commitment) {
        self.init(amount: commitment.amount, unit: .init(commitment.unit))
    }

    var commitment: Commitment { Commitment(amount: amount, unit: CommitmentUnit(unit)) }
}

extension Components.Schemas.CategoryUpdate.CommitmentPayload {
    var commitment: Commitment { Commitment(amount: amount, unit: CommitmentUnit(unit)) }
}
