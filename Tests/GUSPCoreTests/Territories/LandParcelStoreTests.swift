import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Testing

@Suite("Land parcels")
struct LandParcelStoreTests {
    @Test("create, read, change and delete a parcel; every change is an event", arguments: TestDatabases.engines)
    func lifecycle(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            _ = try await f.drawContours()
            let coordinator = try await f.actor(.coordinator)
            let proprete = try await f.category("proprete")
            let parcel = try await store.createLandParcel(
                NewLandParcel(
                    label: " Résidence Les Tilleuls ", partnerId: f.partnerA.id, categoryIds: [proprete],
                    geometryJSON: Contours.rectangle(4.905, 44.925, 4.915, 44.935), validFrom: "2025-01-01"), by: coordinator)
            #expect(parcel.label == "Résidence Les Tilleuls")
            #expect(parcel.categoryIds == [proprete])
            #expect(try await store.landParcel(parcel.id, by: try await f.actor(.technician)) == parcel)
            let inside = LandParcelFilter(containing: Position(long: 4.91, lat: 44.93))
            #expect(try await store.landParcels(inside, page: try PageRequest(), by: coordinator).items.map(\.id) == [parcel.id])
            #expect(
                try await store.landParcels(
                    LandParcelFilter(containing: Position(long: 4.0, lat: 44.0)), page: try PageRequest(),
                    by: coordinator
                ).items.isEmpty)
            let changed = try await store.updateLandParcel(
                parcel.id, LandParcelChanges(categoryIds: [], validTo: .some("2030-12-31")),
                ifVersion: 1, by: coordinator)
            #expect(changed.categoryIds.isEmpty)
            #expect(changed.validTo == "2030-12-31")
            #expect(changed.version == 2)
            await #expect(throws: ValidationFailure(field: "valid_to", message: "must not be before valid_from")) {
                try await store.updateLandParcel(parcel.id, LandParcelChanges(validTo: .some("2024-12-31")), ifVersion: nil, by: coordinator)
            }
            await #expect(throws: DomainError.versionMismatch(current: 2)) {
                try await store.updateLandParcel(parcel.id, LandParcelChanges(label: "x"), ifVersion: 1, by: coordinator)
            }
            let events = try await store.events(resourceType: .landParcel, resourceId: parcel.id, page: try PageRequest(), by: coordinator)
            #expect(events.items.map(\.action) == ["created", "updated"])
            try await store.deleteLandParcel(parcel.id, by: coordinator)
            await #expect(throws: DomainError.notFound("land parcel not found")) { try await store.landParcel(parcel.id, by: coordinator) }
            let all = try await store.events(resourceType: nil, resourceId: nil, page: try PageRequest(limit: 500), by: Fixture.root)
            #expect(all.items.filter { $0.resourceId == parcel.id }.map(\.action) == ["created", "updated", "deleted"])
        }
    }

    @Test("who may manage parcels, and what input is refused", arguments: TestDatabases.engines)
    func refusals(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            let square = Contours.rectangle(4.905, 44.925, 4.915, 44.935)
            // A coordinator of A may not record land of partner B; technicians and residents may not at all.
            await #expect(throws: DomainError.forbidden("a coordinator records land parcels of partners of their own territories")) {
                try await store.createLandParcel(
                    NewLandParcel(label: "B", partnerId: f.partnerB.id, geometryJSON: square), by: try await f.actor(.coordinator))
            }
            for role in [Role.technician, .resident, .elected, .partnerSystem] {
                await #expect(throws: DomainError.forbidden("your role (\(role.rawValue)) may not do land_parcel.create")) {
                    try await store.createLandParcel(
                        NewLandParcel(label: "A", partnerId: f.partnerA.id, geometryJSON: square), by: try await f.actor(role))
                }
            }
            await #expect(throws: DomainError.forbidden("your role (resident) may not do land_parcel.read")) {
                try await store.landParcels(LandParcelFilter(), page: try PageRequest(), by: try await f.actor(.resident))
            }
            func fields(_ new: NewLandParcel) async throws -> [String] {
                try await invalidFields { try await store.createLandParcel(new, by: Fixture.root) }
            }
            #expect(try await fields(NewLandParcel(label: "", partnerId: f.partnerA.id, geometryJSON: square)) == ["label"])
            #expect(try await fields(NewLandParcel(label: "x", partnerId: "par_nope", geometryJSON: square)) == ["partner_id"])
            #expect(
                try await fields(NewLandParcel(label: "x", partnerId: f.partnerA.id, categoryIds: ["cat_nope"], geometryJSON: square)) == [
                    "category_ids"
                ])
            #expect(
                try await fields(
                    NewLandParcel(label: "x", partnerId: f.partnerA.id, geometryJSON: Array(#"{"type":"Point","coordinates":[1,2]}"#.utf8)))
                    == ["geometry.type"])
            #expect(
                try await fields(NewLandParcel(label: "x", partnerId: f.partnerA.id, geometryJSON: square, validFrom: "2025-02-30")) == ["valid_from"]
            )
            #expect(try await store.landParcels(LandParcelFilter(), page: try PageRequest(), by: Fixture.root).items.isEmpty)
        }
    }

    @Test("a GeoJSON import is all or nothing, with every bad feature named", arguments: TestDatabases.engines)
    func bulkImport(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            _ = try await f.drawContours()
            let inRennes = String(decoding: Contours.rectangle(-1.70, 48.10, -1.65, 48.12), as: UTF8.self)
            func feature(_ label: String, partner: String, codes: [String]? = nil, geometry: String? = nil) -> String {
                let geometry = geometry ?? String(decoding: Contours.rectangle(4.90, 44.92, 4.91, 44.93), as: UTF8.self)
                let codes = codes.map { ", \"category_codes\": [" + $0.map { "\"\($0)\"" }.joined(separator: ",") + "]" } ?? ""
                return #"{"type":"Feature","geometry":\#(geometry),"properties":{"label":"\#(label)","partner_id":"\#(partner)"\#(codes)}}"#
            }
            func collection(_ features: [String]) -> [UInt8] {
                Array(#"{"type":"FeatureCollection","features":[\#(features.joined(separator: ","))]}"#.utf8)
            }
            let bad = collection([
                feature("ok", partner: f.partnerA.id, codes: ["proprete"]),
                feature("", partner: f.partnerA.id),
                feature("unknown code", partner: f.partnerA.id, codes: ["nope"]),
                feature("bad ring", partner: f.partnerA.id, geometry: #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#),
            ])
            do {
                _ = try await store.importLandParcels(featureCollection: bad, by: Fixture.root)
                Issue.record("the import should have been refused")
            } catch let failure as ValidationFailure {
                #expect(failure.errors.map(\.field) == ["features[1].properties.label", "features[3].geometry.coordinates[0]"])
            }
            // Checked in the transaction: an unknown code or partner refuses everything too.
            do {
                _ = try await store.importLandParcels(
                    featureCollection: collection([
                        feature("ok", partner: f.partnerA.id), feature("unknown code", partner: f.partnerA.id, codes: ["nope"]),
                        feature("unknown partner", partner: "par_nope"),
                    ]), by: Fixture.root)
                Issue.record("the import should have been refused")
            } catch let failure as ValidationFailure {
                #expect(failure.errors.map(\.field) == ["features[1].properties.category_codes", "features[2].properties.partner_id"])
            }
            #expect(try await store.landParcels(LandParcelFilter(), page: try PageRequest(), by: Fixture.root).items.isEmpty)
            let imported = try await store.importLandParcels(
                featureCollection: collection([
                    feature("Tilleuls", partner: f.partnerA.id, codes: ["proprete", "espaces_verts"]),
                    feature("Voirie", partner: f.partnerB.id, geometry: inRennes),
                ]), by: Fixture.root)
            #expect(imported.map(\.label) == ["Tilleuls", "Voirie"])
            #expect(imported[0].categoryIds.count == 2)
            await #expect(throws: ValidationFailure(field: "type", message: "must be a GeoJSON FeatureCollection")) {
                try await store.importLandParcels(featureCollection: Array(#"{"type":"Feature"}"#.utf8), by: Fixture.root)
            }
        }
    }
}
