import Foundation
import GUSPDatabase
import GUSPTestSupport
import SQLKit
import Testing

@testable import GUSPCore

/// A coordinator holding only QPV X must not bend the reference data to capture QPV Y's signalements
/// (and their reporters' contacts): neither with a sector drawn over Y, nor with a land parcel over Y.
@Suite("Reference data cannot capture another quartier")
struct ReferenceCaptureTests {
    /// QPV X is the fixture's QPV A (long 4.90–4.92, lat 44.92–44.94); QPV Y lies beside it in commune A.
    struct Sides {
        let f: Fixture
        let places: Contours
        let qpvY: Territory
        let coordinatorX: Actor
        let inY = Position(long: 4.935, lat: 44.925)
        static let overY = Contours.rectangle(4.931, 44.921, 4.939, 44.929)
        static let insideX = Contours.rectangle(4.905, 44.925, 4.915, 44.935)

        static func make(_ store: Store) async throws -> Sides {
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let qpvY = try await store.createTerritory(
                NewTerritory(
                    kind: .qpv, code: "QN02606M", label: "Polygone", parentId: f.communeA.id,
                    geometryJSON: Contours.rectangle(4.93, 44.92, 4.94, 44.93)), by: Fixture.root)
            let user = try await store.createUser(
                NewUser(
                    email: "coordinateur.x@a.test", displayName: "X", password: f.password, role: .coordinator, partnerId: nil,
                    territoryIds: [f.qpvA.id]), by: Fixture.root)
            return Sides(f: f, places: places, qpvY: qpvY, coordinatorX: try await f.actor(of: user))
        }
    }

    @Test(
        "a sector must lie within its parent's contour: on create, on its own change and on its parent's change",
        arguments: TestDatabases.engines)
    func sectorWithinParent(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let s = try await Sides.make(store)
            let refused = try await invalidFields {
                try await store.createTerritory(
                    NewTerritory(
                        kind: .sector, code: "S-Y", label: "Secteur", parentId: s.f.qpvA.id,
                        geometryJSON: Sides.overY), by: s.coordinatorX)
            }
            #expect(refused == ["geometry"])
            let sector = try await store.createTerritory(
                NewTerritory(kind: .sector, code: "S-X", label: "Secteur des Tilleuls", parentId: s.f.qpvA.id, geometryJSON: Sides.insideX),
                by: s.coordinatorX)
            let coordinatorX = try await store.authenticate(
                bearer: try await store.issuePersonalToken(
                    userId: s.coordinatorX.id, name: "again", lifetime: 3_600, createdBy: nil
                ).secret)  // now holding the sector too
            let moved = try await invalidFields {
                try await store.updateTerritory(sector.id, TerritoryChanges(geometryJSON: .some(Sides.overY)), ifVersion: nil, by: coordinatorX)
            }
            #expect(moved == ["geometry"])
            // The parent's contour shrinks away from the sector: refused, naming the sector.
            do {
                _ = try await store.updateTerritory(
                    s.f.qpvA.id, TerritoryChanges(geometryJSON: .some(Contours.rectangle(4.916, 44.92, 4.92, 44.94))),
                    ifVersion: nil, by: Fixture.root)
                Issue.record("the parent's new contour leaves its sector outside")
            } catch let failure as ValidationFailure {
                #expect(failure.errors.map(\.field) == ["geometry"])
                #expect(failure.errors.first?.message.contains("S-X") == true)
            }
            // Moving the sector under QPV Y, where its contour does not lie, is refused too (as root, who may).
            let reparented = try await invalidFields {
                try await store.updateTerritory(sector.id, TerritoryChanges(parentId: .some(s.qpvY.id)), ifVersion: nil, by: Fixture.root)
            }
            #expect(reparented == ["parent_id"])
            // Nothing of it was written: a filing in Y is still Y's.
            let filed = try await store.createSignalement(
                NewSignalement(categoryId: try await s.f.category("voirie"), description: "nid de poule", location: s.inY),
                by: try await s.f.actor(.resident))
            #expect(filed.signalement.territoryId == s.qpvY.id)
        }
    }

    @Test(
        "below a territory without a contour, a coordinator cannot draw a contour in the commune's, over another quartier",
        arguments: TestDatabases.engines)
    func contourlessParent(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let s = try await Sides.make(store)
            let qpvZ = try await store.createTerritory(
                NewTerritory(kind: .qpv, code: "QN02609M", label: "Chamberlière", parentId: s.f.communeA.id), by: Fixture.root)
            let user = try await store.createUser(
                NewUser(
                    email: "coordinateur.z@a.test", displayName: "Z", password: s.f.password, role: .coordinator, partnerId: nil,
                    territoryIds: [qpvZ.id]), by: Fixture.root)
            let coordinatorZ = try await s.f.actor(of: user)
            let refused = try await invalidFields {
                try await store.createTerritory(
                    NewTerritory(
                        kind: .sector, code: "S-Z", label: "Secteur", parentId: qpvZ.id,
                        geometryJSON: Sides.overY), by: coordinatorZ)
            }
            #expect(refused == ["geometry"])
            // Moving an official territory is the admins', too.
            await #expect(throws: DomainError.self) {
                try await store.updateTerritory(
                    s.qpvY.id, TerritoryChanges(parentId: .some(qpvZ.id)), ifVersion: nil,
                    by: try await s.f.actor(.coordinator))
            }
        }
    }

    @Test(
        "placement follows the hierarchy: a contour stored outside its parent's does not take the points it overlaps",
        arguments: TestDatabases.engines)
    func placementFollowsHierarchy(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let s = try await Sides.make(store)
            let sector = try await store.createTerritory(
                NewTerritory(kind: .sector, code: "S-X", label: "Secteur", parentId: s.f.qpvA.id, geometryJSON: Sides.insideX),
                by: s.coordinatorX)
            // A contour that escaped the rule (written before it existed): the sector now covers part of Y.
            let escaped = String(decoding: Sides.overY, as: UTF8.self)
            try await store.database.write { db in
                try await db.update("territories").set("geometry", to: escaped)
                    .set("bbox_min_long", to: 4.931).set("bbox_min_lat", to: 44.921).set("bbox_max_long", to: 4.939).set("bbox_max_lat", to: 44.929)
                    .where("id", .equal, sector.id).run()
            }
            store.cache.invalidate()
            #expect(try await store.territory(containing: s.inY)?.id == s.qpvY.id)
            #expect(try await store.territory(containing: s.places.inQPV)?.id == s.f.qpvA.id)
        }
    }

    @Test(
        "a land parcel must lie within a territory that both its author and its partner hold, also through the import",
        arguments: TestDatabases.engines)
    func parcelWithinHeldTerritories(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let s = try await Sides.make(store)
            // partner A (a bailleur of QPV X) over all of Y, drawn by X's coordinator.
            let overY = try await invalidFields {
                try await store.createLandParcel(
                    NewLandParcel(label: "Capture", partnerId: s.f.partnerA.id, geometryJSON: Sides.overY),
                    by: s.coordinatorX)
            }
            #expect(overY == ["geometry"])
            let collection = Array(
                """
                {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"label":"Capture","partner_id":"\(s.f.partnerA.id)"},
                "geometry":\(String(decoding: Sides.overY, as: UTF8.self))}]}
                """.utf8)
            do {
                _ = try await store.importLandParcels(featureCollection: collection, by: s.coordinatorX)
                Issue.record("the import should have been refused")
            } catch let failure as ValidationFailure {
                #expect(failure.errors.map(\.field) == ["features[0].geometry"])
            }
            // Even an admin cannot give partner A land outside the territories it works in.
            let outside = try await invalidFields {
                try await store.createLandParcel(
                    NewLandParcel(label: "Ailleurs", partnerId: s.f.partnerA.id, geometryJSON: Sides.overY),
                    by: Fixture.root)
            }
            #expect(outside == ["geometry"])
            // Within X, held by both: accepted; moved over Y afterwards: refused.
            let parcel = try await store.createLandParcel(
                NewLandParcel(label: "Résidence des Tilleuls", partnerId: s.f.partnerA.id, geometryJSON: Sides.insideX), by: s.coordinatorX)
            let moved = try await invalidFields {
                try await store.updateLandParcel(parcel.id, LandParcelChanges(geometryJSON: Sides.overY), ifVersion: nil, by: s.coordinatorX)
            }
            #expect(moved == ["geometry"])
            // A filing in Y goes to Y's partners, not to partner A.
            let filed = try await store.createSignalement(
                NewSignalement(categoryId: try await s.f.category("proprete"), description: "dépôt", location: s.inY),
                by: try await s.f.actor(.resident))
            #expect(filed.signalement.territoryId == s.qpvY.id)
            #expect(filed.signalement.partnerId != s.f.partnerA.id)
        }
    }

    @Test(
        "official contours are the admins': a coordinator may redraw a sector it holds, not its QPV or commune",
        arguments: TestDatabases.engines)
    func officialContours(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let s = try await Sides.make(store)
            let coordinator = try await s.f.actor(.coordinator)  // holds commune A
            let redraw = TerritoryChanges(geometryJSON: .some(Contours.rectangle(4.90, 44.92, 4.925, 44.94)))
            await #expect(throws: DomainError.self) {
                try await store.updateTerritory(s.f.qpvA.id, redraw, ifVersion: nil, by: coordinator)
            }
            await #expect(throws: DomainError.self) {
                try await store.updateTerritory(
                    s.f.communeA.id, TerritoryChanges(geometryJSON: .some(Contours.rectangle(4.8, 44.9, 4.95, 44.96))),
                    ifVersion: nil, by: coordinator)
            }
            let sector = try await store.createTerritory(
                NewTerritory(kind: .sector, code: "S-X", label: "Secteur", parentId: s.f.qpvA.id, geometryJSON: Sides.insideX), by: coordinator)
            let holder = try await s.f.actor(.coordinator)  // now holding the sector too
            let redrawn = try await store.updateTerritory(
                sector.id, TerritoryChanges(geometryJSON: .some(Contours.rectangle(4.906, 44.926, 4.914, 44.934))),
                ifVersion: nil, by: holder)
            #expect(redrawn.version == 2)
            let byAdmin = try await store.updateTerritory(s.f.qpvA.id, redraw, ifVersion: nil, by: Fixture.root)
            #expect(byAdmin.version == 3)
        }
    }
}
