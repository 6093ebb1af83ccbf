import Foundation
import GUSPDatabase
import GUSPTestSupport
import SQLKit
import Testing

@testable import GUSPBench
@testable import GUSPCore

@Suite("Signalements: one grid index for places")
struct GridCellIndexTests {
    @Test(
        "a bounding box finds exactly the signalements inside it, corners and cell lines included, asked by grid cell or not",
        arguments: TestDatabases.engines)
    func boundingBoxes(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            _ = try await f.drawContours()
            let resident = try await f.actor(.resident)
            let road = try await f.category("voirie")
            var filed: [String] = []
            for (long, lat) in [
                (4.8725, 44.9505), (4.8755, 44.9525), (4.8740, 44.9515),
                (4.87249, 44.9510),  // the same grid cell as the west edge, outside the box
                (4.8740, 44.95251),  // the same grid cell as the north edge, outside the box
                (4.9300, 44.9100),
                (4.875, 44.952),
            ] {  // where four grid cells meet, inside the box
                let new = NewSignalement(categoryId: road, description: "Chaussée", location: Position(long: long, lat: lat))
                filed.append(try await store.createSignalement(new, by: resident).signalement.id)
            }
            let (minCorner, maxCorner, middle, westOfBox, northOfBox, far, cellCorner) = (
                filed[0], filed[1], filed[2], filed[3], filed[4], filed[5], filed[6]
            )
            func ids(_ box: BoundingBox) async throws -> [String] {
                var filter = SignalementFilter()
                filter.bbox = box
                return try await store.signalements(filter, page: try PageRequest(limit: 100), by: Fixture.root).items.map(\.id)
            }
            // 4 × 3 grid cells: three rows of cells asked.
            #expect(
                try await ids(BoundingBox(minLong: 4.8725, minLat: 44.9505, maxLong: 4.8755, maxLat: 44.9525))
                    == [minCorner, maxCorner, middle, cellCorner])
            // The whole commune, 6,000 cells in 60 rows.
            #expect(
                try await ids(BoundingBox(minLong: 4.85, minLat: 44.90, maxLong: 4.95, maxLat: 44.96))
                    == [minCorner, maxCorner, middle, westOfBox, northOfBox, far, cellCorner])
            #expect(try await ids(BoundingBox(minLong: 4.85, minLat: 44.90, maxLong: 4.8735, maxLat: 44.96)) == [minCorner, westOfBox])
            // Over 400 rows tall: the creation order walked.
            #expect(try await ids(BoundingBox(minLong: 4.8, minLat: 44.5, maxLong: 4.8735, maxLat: 45.5)) == [minCorner, westOfBox])
            // One point's box, one cell.
            #expect(try await ids(BoundingBox(minLong: 4.874, minLat: 44.9515, maxLong: 4.874, maxLat: 44.9515)) == [middle])
            #expect(try await ids(BoundingBox(minLong: 4.8726, minLat: 44.9506, maxLong: 4.8739, maxLat: 44.9514)) == [])
        }
    }

    @Test("the rows of cells of a box cover every point inside it and no cell outside it, south and west of Greenwich too")
    func cellRangesOfABox() throws {
        for box in [
            BoundingBox(minLong: 4.8725, minLat: 44.9505, maxLong: 4.8755, maxLat: 44.9525),
            BoundingBox(minLong: 55.4481, minLat: -20.8823, maxLong: 55.4520, maxLat: -20.8790),  // Saint-Denis, La Réunion
            BoundingBox(minLong: -52.3300, minLat: 4.9370, maxLong: -52.3255, maxLat: 4.9400),
        ] {  // Cayenne
            let ranges = try #require(GroundDistance.cellRanges(in: box))
            for long in stride(from: box.minLong, through: box.maxLong, by: 0.0001) {
                for lat in stride(from: box.minLat, through: box.maxLat, by: 0.0001) {
                    let cell = GroundDistance.cell(of: Position(long: long, lat: lat))
                    #expect(ranges.contains { $0.contains(cell) }, "\(long), \(lat)")
                }
            }
            #expect(ranges.reduce(0) { $0 + $1.count } == GroundDistance.cells(in: box, limit: 10_000)?.count, "no cell outside the box")
        }
        #expect(GroundDistance.cellRanges(in: BoundingBox(minLong: 4.8, minLat: 44.5, maxLong: 4.9, maxLat: 45.5)) == nil, "1,000 rows")
        #expect(GroundDistance.cellRanges(in: BoundingBox(minLong: 4.9, minLat: 44.9, maxLong: 4.8, maxLat: 44.95)) == nil, "turned over")
    }

    @Test("the cells of a box cover every point inside it; a box of too many cells, or turned over, has none")
    func cellsOfABox() {
        let box = BoundingBox(minLong: 4.8725, minLat: 44.9505, maxLong: 4.8755, maxLat: 44.9525)
        let cells = GroundDistance.cells(in: box, limit: 256)
        #expect(cells?.count == 12)
        for long in stride(from: 4.8725, through: 4.8755, by: 0.0001) {
            for lat in stride(from: 44.9505, through: 44.9525, by: 0.0001) {
                #expect(cells?.contains(GroundDistance.cell(of: Position(long: long, lat: lat))) == true)
            }
        }
        #expect(GroundDistance.cells(in: box, limit: 11) == nil)
        #expect(GroundDistance.cells(in: BoundingBox(minLong: 4.9, minLat: 44.9, maxLong: 4.8, maxLat: 44.95), limit: 256) == nil)
    }

    @Test("the flat-earth measure that spares most haversines stays within 5 mm of it in its reach (200 m, 75° of latitude)")
    func flatDistance() {
        var generator = SystemRandomNumberGenerator()
        for lat in [-75.0, -49.3, -21.1, 0, 16.2, 44.93, 51.03, 75.0] {
            let center = Position(long: 4.9, lat: lat)
            let flat = FlatDistance(center)
            let box = GroundDistance.box(around: center, meters: FlatDistance.reach)
            for _ in 0..<5_000 {
                let point = Position(
                    long: Double.random(in: box.minLong...box.maxLong, using: &generator),
                    lat: Double.random(in: box.minLat...box.maxLat, using: &generator))
                let haversine = GroundDistance.meters(center, point)
                guard haversine <= FlatDistance.reach else { continue }
                #expect(abs(flat.squared(to: point).squareRoot() - haversine) < 0.005, "at \(point)")
            }
        }
    }

    @Test("the in-memory grid lists the cells around a point nearest first, none nearer than it says, every point within reach in one")
    func fineCellsNearestFirst() throws {
        var generator = SplitMix64(seed: 20261122)
        for lat in [-49.3, -21.1, -0.0002, 0, 44.93, 51.03] {
            for long in [-61.5, -0.0003, 0, 4.9, 55.45] {
                let center = Position(
                    long: long + Double.random(in: -0.001...0.001, using: &generator),
                    lat: lat + Double.random(in: -0.001...0.001, using: &generator))
                let cells = try #require(FineGrid.cells(around: center, meters: 50))
                #expect(cells.map(\.squared) == cells.map(\.squared).sorted(), "nearest first")
                #expect(cells.first?.cell == FineGrid.cell(of: center), "its own cell first")
                #expect(cells.first?.squared == 0, "its own cell first")
                let flat = FlatDistance(center)
                let box = GroundDistance.box(around: center, meters: 50)
                // Random points, and points on the grid's lines (multiples of its 0.0005°), where rounding decides the cell.
                let onLines = (-3...3).map { step in
                    Position(
                        long: ((center.long / FineGrid.degrees).rounded() + Double(step)) * FineGrid.degrees,
                        lat: ((center.lat / FineGrid.degrees).rounded() + Double(step)) * FineGrid.degrees)
                }
                let random = (0..<2_000).map { _ in
                    Position(
                        long: Double.random(in: box.minLong...box.maxLong, using: &generator),
                        lat: Double.random(in: box.minLat...box.maxLat, using: &generator))
                }
                for point in onLines + random where box.contains(point) {
                    let near = try #require(cells.first { $0.cell == FineGrid.cell(of: point) }, "\(point) around \(center)")
                    #expect(near.squared <= flat.squared(to: point), "\(point) around \(center)")
                }
            }
        }
        #expect(FineGrid.cells(around: Position(long: 4.9, lat: 44.93), meters: 2_000) == nil, "too many cells: the database answers")
    }

    @Test("after migration 8, the grid cell and time index replaces the two place indexes", arguments: TestDatabases.engines)
    func oneIndex(engine: Engine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let names = try await database.read { db in
                let sql: SQLQueryString =
                    engine == .sqlite
                    ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'signalements'"
                    : "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'signalements'"
                return try await db.raw(sql).all().map { try $0.decode(column: "name", as: String.self) }
            }
            #expect(names.contains("signalements_cell"))
            #expect(!names.contains("signalements_nearby"))
            #expect(!names.contains("signalements_position"))
        }
    }

    @Test("on SQLite, duplicates, recurrence and a bounding box (rows of cells, after a cursor) are read through the grid cell index")
    func plans() async throws {
        try await TestDatabases.withDatabase(.sqlite) { database in
            let plans = try await database.read { db in
                var plans: [String] = []
                for sql: SQLQueryString in [
                    "SELECT id, status, lat, long, created_at FROM signalements WHERE category_id = 'c' AND cell IN (1, 2, 3) AND lat >= 0 AND lat <= 1 AND long >= 0 AND long <= 1 AND created_at >= 0 LIMIT 1000",
                    "SELECT lat, long FROM signalements WHERE category_id = 'c' AND cell IN (1, 2) AND created_at >= 0 AND created_at <= 9 AND id <> 'x' LIMIT 8",
                    """
                    SELECT id FROM signalements WHERE ((cell >= 1 AND cell <= 5) OR (cell >= 11 AND cell <= 15)) AND lat >= 0 AND lat <= 1
                      AND long >= 0 AND long <= 1 AND (created_at > 7 OR (created_at = 7 AND id > 'x')) ORDER BY created_at, id LIMIT 50
                    """,
                ] {
                    let rows = try await db.raw("EXPLAIN QUERY PLAN " + sql).all()
                    plans.append(try rows.map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "; "))
                }
                return plans
            }
            for plan in plans { #expect(plan.contains("signalements_cell"), "\(plan)") }
        }
    }
}
