import Foundation
import GUSPServer
import GUSPTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The `gusp` executable as an operator runs it: built next to the test bundle by `swift test`.
@Suite("Command line", .serialized)
struct CommandLineTests {
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gusp")
    }

    static func environment(_ directory: URL) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["GUSP_DATABASE_URL"] = "sqlite:" + directory.appendingPathComponent("gusp.sqlite").path
        environment["GUSP_BCRYPT_COST"] = "4"
        return environment
    }

    static func run(_ arguments: [String], in directory: URL) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = environment(directory)
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        // Standard error goes to a file, so that a chatty log cannot fill a pipe nobody reads yet.
        let errorsFile = directory.appendingPathComponent("stderr-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: errorsFile.path, contents: nil)
        let errors = try FileHandle(forWritingTo: errorsFile)
        defer { try? errors.close() }
        process.standardError = errors
        try ChildProcess.start(process)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: try Data(contentsOf: errorsFile), as: UTF8.self))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gusp-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("--help lists every environment variable")
    func help() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the gusp binary first (swift build)")
        let directory = try Self.temporaryDirectory()
        let help = try Self.run(["--help"], in: directory)
        #expect(help.status == 0, "\(help.errors)")
        for setting in ServerSettings.descriptions { #expect(help.output.contains(setting.variable)) }
    }

    @Test("token create prints a first admin token on a fresh database")
    func firstAdminToken() throws {
        let directory = try Self.temporaryDirectory()
        let created = try Self.run(["token", "create", "--role", "admin", "--name", "Ada Lovelace"], in: directory)
        #expect(created.status == 0, "\(created.errors)")
        #expect(created.output.hasPrefix("gusp_pat_"))
        let refused = try Self.run(["token", "create", "--role", "technician", "--name", "No Partner"], in: directory)
        #expect(refused.status == 1, "\(refused.errors)")
        #expect(refused.errors.contains("partner_id: is required for a technician"), "\(refused.errors)")
    }

    @Test("serve --demo answers with its printed tokens, and SIGTERM stops it cleanly")
    func serveAndStop() async throws {
        let directory = try Self.temporaryDirectory()
        let port = Int.random(in: 20_000...60_000)
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["serve", "--demo", "--port", String(port)]
        process.environment = Self.environment(directory)
        process.currentDirectoryURL = directory
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try ChildProcess.start(process)
        defer { if process.isRunning { process.terminate() } }
        var printed = ""
        while !printed.contains("Every demo account") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            printed += String(decoding: chunk, as: UTF8.self)
        }
        let admin = try #require(
            printed.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("admin ") }?
                .split(separator: " ").dropFirst().first.map(String.init))
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/me")!)
        request.setValue("Bearer \(admin)", forHTTPHeaderField: "Authorization")
        var status = 0
        for _ in 0..<50 where status == 0 {
            if let (_, response) = try? await URLSession.shared.data(for: request) {
                status = (response as? HTTPURLResponse)?.statusCode ?? 0
            } else {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        #expect(status == 200)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(log.contains("gusp stopped"))
    }
}
