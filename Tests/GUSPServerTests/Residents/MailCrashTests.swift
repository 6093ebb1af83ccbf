import AsyncHTTPClient
import Foundation
import GUSPTestSupport
import Glibc
import NIOCore
import NIOHTTP1
import Testing

/// The `gusp` process killed between the commit of a change and the sending of its message: the
/// message is in the outbox, and the next process sends it, once.
@Suite("Mail across a crash", .serialized)
struct MailCrashTests {
    static func serve(_ directory: URL, port: Int, smtp: String, workers: Bool) throws -> Process {
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.arguments = ["serve", "--port", String(port)] + (workers ? [] : ["--no-workers"])
        var environment = CommandLineTests.environment(directory)
        environment["GUSP_SMTP_URL"] = smtp
        environment["GUSP_PUBLIC_URL"] = "http://127.0.0.1:\(port)"
        environment["GUSP_ACCEPT_OUTSIDE_TERRITORIES"] = "true"
        environment["GUSP_LOG_LEVEL"] = "error"
        process.environment = environment
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try ChildProcess.start(process)
        return process
    }

    static func call(_ client: HTTPClient, _ method: HTTPMethod, _ url: String, token: String, json: String) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "authorization", value: "Bearer \(token)")
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    static func waitUntilListening(_ port: Int) async throws {
        for _ in 0..<200 {
            let socket = ShutdownTests.connect(port)
            if socket >= 0 {
                close(socket)
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CancellationError()
    }

    @Test("SIGKILL after the commit, before any send: the next process delivers the message once")
    func killedBeforeSending() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.binary.path), "build the gusp binary first (swift build)")
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let directory = try CommandLineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let resident = try CommandLineTests.run(
            ["token", "create", "--role", "resident", "--name", "Awa", "--email", "awa@example.org"], in: directory)
        let admin = try CommandLineTests.run(["token", "create", "--role", "admin", "--name", "Ada"], in: directory)
        try #require(resident.status == 0 && admin.status == 0, "\(resident.errors) \(admin.errors)")
        let residentToken = resident.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let adminToken = admin.output.trimmingCharacters(in: .whitespacesAndNewlines)

        let port = 20_000 + Int.random(in: 0..<20_000)
        let first = try Self.serve(directory, port: port, smtp: sink.url(), workers: false)
        defer { ChildProcess.kill(first) }
        try await Self.waitUntilListening(port)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = client.shutdown() }
        let base = "http://127.0.0.1:\(port)"
        var listing = HTTPClientRequest(url: base + "/v1/categories?limit=500")
        listing.headers.add(name: "authorization", value: "Bearer \(residentToken)")
        let categories = try await client.execute(listing, timeout: .seconds(10))
        let listed = try JSONSerialization.jsonObject(with: Data(buffer: try await categories.body.collect(upTo: 1 << 20))) as? [String: Any]
        let category = try #require(
            (listed?["data"] as? [[String: Any]])?.first { $0["code"] as? String == "proprete" }?["id"] as? String)
        let (filedStatus, filed) = try await Self.call(
            client, .POST, base + "/v1/signalements", token: residentToken,
            json: #"{"category_id":"\#(category)","description":"Dépôt sauvage","address":"12 rue des Lilas, Valence"}"#)
        try #require(filedStatus == 201, "\(filed)")
        let id = try #require((try JSONSerialization.jsonObject(with: Data(filed.utf8)) as? [String: Any])?["id"] as? String)
        let (commented, answer) = try await Self.call(
            client, .POST, base + "/v1/signalements/\(id)/comments", token: adminToken, json: #"{"body":"Passage prévu lundi","visibility":"public"}"#
        )
        try #require(commented == 201, "\(answer)")
        // Committed, not sent (no workers): the process dies at once.
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(try sink.messages().isEmpty)

        let secondPort = port + 1
        let second = try Self.serve(directory, port: secondPort, smtp: sink.url(), workers: true)
        defer { ChildProcess.kill(second) }
        try await Self.waitUntilListening(secondPort)
        let received = try await sink.waitForMessages(1, timeout: .seconds(20))
        #expect(received.count == 1)
        #expect(received.first?.envelope.rcptTos == ["awa@example.org"])
        #expect(received.first?.parsed.subject?.hasPrefix("Nouveau message sur votre signalement GUSP-") == true)
        // Some rounds later, still once.
        try await Task.sleep(for: .seconds(3))
        #expect(try sink.messages().count == 1)
    }
}
