import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import SQLKit
import Testing

@Suite("Territory store")
struct TerritoryStoreTests {
    let root = Fixture.root

    @Test("a territory with a contour is stored and read back", arguments: TestDatabases.engines)
    func createWithGeometry(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let polygon = #"{"type":"Polygon","coordinates":[[[4.9,44.9],[4.95,44.9],[4.95,44.95],[4.9,44.95],[4.9,44.9]]]}"#
            let created = try await store.createTerritory(
                NewTerritory(kind: .qpv, code: "QN02607M", label: "Les Hauts de Valence", geometryJSON: Array(polygon.utf8)), by: root)
            let read = try await store.territory(created.id, by: root)
            #expect(read.code == "QN02607M")
            #expect(read.kind == .qpv)
            let geometry = try AreaGeometry.parse(json: Data(read.geometry!.utf8))
            #expect(geometry.contains(Position(long: 4.92, lat: 44.92)))
        }
    }

    @Test("codes, labels and contours are validated before anything is written", arguments: TestDatabases.engines)
    func validation(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let openRing = #"{"type":"Polygon","coordinates":[[[4.9,44.9],[4.95,44.9],[4.95,44.95],[4.9,44.95]]]}"#
            try await Self.expectInvalid("code") {
                try await store.createTerritory(NewTerritory(kind: .qpv, code: "qn02607m", label: "x"), by: root)
            }
            try await Self.expectInvalid("code") {
                try await store.createTerritory(NewTerritory(kind: .commune, code: "2C004", label: "x"), by: root)
            }
            try await Self.expectInvalid("label") {
                try await store.createTerritory(NewTerritory(kind: .sector, code: "s1", label: "  "), by: root)
            }
            try await Self.expectInvalid("geometry.coordinates[0]") {
                try await store.createTerritory(NewTerritory(kind: .sector, code: "s1", label: "x", geometryJSON: Array(openRing.utf8)), by: root)
            }
            try await Self.expectInvalid("parent_id") {
                try await store.createTerritory(NewTerritory(kind: .sector, code: "s1", label: "x", parentId: "ter_missing"), by: root)
            }
            let count = try await store.territories(TerritoryFilter(), page: try PageRequest(), by: root).items.count
            #expect(count == 0)
        }
    }

    @Test("a code is unique per kind, and Corsican INSEE codes are accepted", arguments: TestDatabases.engines)
    func uniqueCode(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            _ = try await store.createTerritory(NewTerritory(kind: .commune, code: "2A004", label: "Ajaccio"), by: root)
            await #expect(throws: DomainError.conflict("a commune territory with code 2A004 already exists")) {
                try await store.createTerritory(NewTerritory(kind: .commune, code: "2A004", label: "Ajaccio bis"), by: root)
            }
            _ = try await store.createTerritory(NewTerritory(kind: .qpv, code: "QP035002", label: "Villejean (2015)"), by: root)
        }
    }

    @Test("a parent cannot be a descendant, and a used territory cannot be deleted", arguments: TestDatabases.engines)
    func hierarchy(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let commune = try await store.createTerritory(NewTerritory(kind: .commune, code: "26362", label: "Valence"), by: root)
            let qpv = try await store.createTerritory(NewTerritory(kind: .qpv, code: "QN02606M", label: "Polygone", parentId: commune.id), by: root)
            await #expect(throws: ValidationFailure(field: "parent_id", message: "would make a cycle")) {
                try await store.updateTerritory(commune.id, TerritoryChanges(parentId: .some(qpv.id)), ifVersion: nil, by: root)
            }
            await #expect(throws: DomainError.conflict("the territory is still used (child territories, partners or users)")) {
                try await store.deleteTerritory(commune.id, by: root)
            }
            try await store.deleteTerritory(qpv.id, by: root)
            try await store.deleteTerritory(commune.id, by: root)
            await #expect(throws: DomainError.notFound("territory not found")) { try await store.territory(commune.id, by: root) }
        }
    }

    @Test("changing a label keeps the stored contour and its bounding box", arguments: TestDatabases.engines)
    func labelKeepsBoundingBox(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let polygon = #"{"type":"Polygon","coordinates":[[[4.9,44.9],[4.95,44.9],[4.95,44.95],[4.9,44.95],[4.9,44.9]]]}"#
            let created = try await store.createTerritory(
                NewTerritory(kind: .sector, code: "s1", label: "Secteur", geometryJSON: Array(polygon.utf8)), by: root)
            _ = try await store.updateTerritory(created.id, TerritoryChanges(label: "Secteur nord"), ifVersion: nil, by: root)
            let box = try await store.database.read { db in
                try await db.select().columns("bbox_min_long", "bbox_max_lat").from("territories").where("id", .equal, created.id).first()
                    .map { (try $0.decode(column: "bbox_min_long", as: Double?.self), try $0.decode(column: "bbox_max_lat", as: Double?.self)) }
            }
            #expect(box?.0 == 4.9)
            #expect(box?.1 == 44.95)
            #expect(try await store.territory(created.id, by: root).geometry != nil)
        }
    }

    @Test("If-Match with an old version is refused and changes nothing", arguments: TestDatabases.engines)
    func versions(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let commune = try await store.createTerritory(NewTerritory(kind: .commune, code: "26362", label: "Valence"), by: root)
            let renamed = try await store.updateTerritory(commune.id, TerritoryChanges(label: "Valence (Drôme)"), ifVersion: 1, by: root)
            #expect(renamed.version == 2)
            await #expect(throws: DomainError.versionMismatch(current: 2)) {
                try await store.updateTerritory(commune.id, TerritoryChanges(label: "Autre"), ifVersion: 1, by: root)
            }
            #expect(try await store.territory(commune.id, by: root).label == "Valence (Drôme)")
        }
    }

    @Test("lists are paged in creation order with a cursor that resumes exactly", arguments: TestDatabases.engines)
    func paging(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            var created: [String] = []
            for index in 0..<7 {
                created.append(
                    try await store.createTerritory(NewTerritory(kind: .sector, code: "s\(index)", label: "Secteur \(index)"), by: root).id)
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await store.territories(TerritoryFilter(), page: try PageRequest(limit: 3, cursor: cursor), by: root)
                #expect(page.items.count <= 3)
                seen += page.items.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == created)
            #expect(throws: ValidationFailure(field: "limit", message: "must be between 1 and 500")) { try PageRequest(limit: 501) }
            #expect(throws: ValidationFailure(field: "cursor", message: "is not a cursor this API returned")) {
                try PageRequest(cursor: "not-a-cursor")
            }
        }
    }

    @Test("the real Rennes QPV contours are accepted as territories", arguments: TestDatabases.engines)
    func realContours(engine: Engine) async throws {
        let features = try TestData.rennesFeatures()
        #expect(features.count == 5)
        try await TestDatabases.withStore(engine) { store in
            for feature in features {
                _ = try await store.createTerritory(
                    NewTerritory(
                        kind: .qpv, code: feature.code, label: feature.name,
                        geometryJSON: Array(feature.geometry)), by: root)
            }
            let stored = try await store.territories(TerritoryFilter(kind: .qpv), page: try PageRequest(), by: root).items
            #expect(stored.count == 5)
            #expect(stored.allSatisfy { $0.geometry != nil })
        }
    }

    /// Expects a validation failure naming exactly `field`.
    static func expectInvalid(_ field: String, _ body: () async throws -> some Sendable) async throws {
        do {
            _ = try await body()
            Issue.record("expected \(field) to be refused")
        } catch let failure as ValidationFailure {
            #expect(failure.errors.map(\.field) == [field])
        }
    }
}

@Suite("Territory of a point")
struct TerritoryLocatorTests {
    @Test("a point is placed in the most specific contour that contains it, with real contours and holes", arguments: TestDatabases.engines)
    func locate(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let root = Fixture.root
            let rennes = try await store.createTerritory(
                NewTerritory(
                    kind: .commune, code: "35238", label: "Rennes",
                    geometryJSON: Array(
                        #"{"type":"Polygon","coordinates":[[[-1.76,48.07],[-1.62,48.07],[-1.62,48.15],[-1.76,48.15],[-1.76,48.07]]]}"#.utf8)),
                by: root)
            var qpv: [String: Territory] = [:]
            for feature in try TestData.rennesFeatures() {
                qpv[feature.code] = try await store.createTerritory(
                    NewTerritory(
                        kind: .qpv, code: feature.code, label: feature.name,
                        parentId: rennes.id, geometryJSON: Array(feature.geometry)), by: root)
            }
            // Inside Villejean (QP035002) and Le Blosne (QP035005), from the geometry tests' reference points.
            #expect(try await store.territory(containing: Position(long: -1.7114, lat: 48.1218))?.code == "QP035002")
            #expect(try await store.territory(containing: Position(long: -1.6543, lat: 48.0879))?.code == "QP035005")
            // In Rennes (city hall), in no QPV: the commune.
            #expect(try await store.territory(containing: Position(long: -1.6794, lat: 48.1113))?.id == rennes.id)
            // In Villejean's bounding box but outside its contour: the commune again.
            #expect(try await store.territory(containing: Position(long: -1.7182, lat: 48.1161))?.id == rennes.id)
            #expect(try await store.territory(containing: Position(long: 4.89, lat: 44.93)) == nil)
        }
    }
}
