import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import Glibc
import Logging
import SQLKit
import Testing

/// A disk that fills up, for real: a small tmpfs (mounting one needs root, as in CI).
@Suite("A full disk", .enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
struct FullDiskTests {
    static func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try ChildProcess.start(process)
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test("writes fail as 'storage unavailable', nothing committed is lost, /ready's state says why, and writing resumes once space returns")
    func fullDisk() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gusp-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try #require(try Self.run(["/bin/mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", directory.path]) == 0, "mount failed")
        defer { _ = try? Self.run(["/bin/umount", "-l", directory.path]) }
        var logger = Logger(label: "full-disk")
        logger.logLevel = .critical
        let engine = try await SQLiteEngine.open(path: directory.appendingPathComponent("gusp.sqlite").path, readers: 1, logger: logger)
        do {
            try await Migrator(database: engine).migrate(logger: logger)
            try await engine.write { db in try await db.raw("CREATE TABLE filler (id INTEGER PRIMARY KEY, data BLOB)").run() }
            var committed = 0
            for index in 0..<20 {
                try await engine.write { db in try await db.raw("INSERT INTO filler (id, data) VALUES (\(bind: index), zeroblob(16384))").run() }
                committed += 1
            }
            // Fill what is left with a file, then write rows until the database cannot.
            let ballast = directory.appendingPathComponent("ballast")
            _ = FileManager.default.createFile(atPath: ballast.path, contents: nil)
            let handle = try FileHandle(forWritingTo: ballast)
            while (try? handle.write(contentsOf: Data(count: 256 * 1024))) != nil {}
            try? handle.close()
            var failure: (any Error)?
            for index in 20..<2_000 where failure == nil {
                do {
                    try await engine.write { db in
                        try await db.raw("INSERT INTO filler (id, data) VALUES (\(bind: index), zeroblob(16384))").run()
                    }
                    committed += 1
                } catch {
                    failure = error
                }
            }
            let error = try #require(failure, "the disk never filled")
            #expect(error is StorageUnavailable, "\(error)")
            #expect(engine.writeProblem == "the disk is full")
            // A transaction that writes nothing commits even now: it does not clear the problem.
            _ = try await engine.write { db in try await db.raw("SELECT 1 AS one").first() }
            #expect(engine.writeProblem == "the disk is full")
            // Space returns: the probe writes, the problem is gone; nothing committed was lost.
            try FileManager.default.removeItem(at: ballast)
            #expect(await engine.probeWrites() == nil)
            #expect(engine.writeProblem == nil)
            try await engine.write { db in try await db.raw("DELETE FROM filler WHERE id = 0").run() }
            let count = try await engine.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM filler").first()?.decode(column: "n", as: Int.self)
            }
            #expect(count == committed - 1)
        } catch {
            await engine.shutdown()
            throw error
        }
        await engine.shutdown()
    }
}
