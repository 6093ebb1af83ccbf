import Foundation
import GUSPCore
import GUSPDatabase
import Glibc
import Logging
import Testing

/// A read-only file system, for real: a tmpfs remounted read-only (mounting needs root, as in CI).
@Suite("A read-only database", .enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
struct ReadOnlyStartTests {
    @Test("opening a database on a read-only file system is a clear error, not a crash", arguments: ["WAL", "DELETE"])
    func readOnly(journal: String) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gusp-ro-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try #require(try FullDiskTests.run(["/bin/mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", directory.path]) == 0, "mount failed")
        defer { _ = try? FullDiskTests.run(["/bin/umount", "-l", directory.path]) }
        var logger = Logger(label: "read-only")
        logger.logLevel = .critical
        let path = directory.appendingPathComponent("gusp.sqlite").path
        let engine = try await SQLiteEngine.open(path: path, readers: 1, logger: logger)
        try await Migrator(database: engine).migrate(logger: logger)
        await engine.shutdown()
        // A database left in rollback-journal mode opens read-only; one in WAL mode does not open at all.
        if journal == "DELETE" { try await DirectSQLite.open(path: path, pragmas: ["PRAGMA journal_mode = DELETE"]).close() }
        try #require(try FullDiskTests.run(["/bin/mount", "-o", "remount,ro", directory.path]) == 0, "remount failed")
        do {
            let opened = try await SQLiteEngine.open(path: path, readers: 1, logger: logger)
            await opened.shutdown()
            Issue.record("a read-only database opened")
        } catch let error as ConfigurationError {
            #expect(error.description.contains("cannot be opened for writing"))
            #expect(error.description.contains(path))
        }
    }
}
