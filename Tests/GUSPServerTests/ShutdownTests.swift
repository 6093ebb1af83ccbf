import Foundation
import GUSPTestSupport
import Glibc
import Testing

/// The `gusp` process as an operator stops it.
@Suite("Shutdown and the command's help", .serialized)
struct ShutdownTests {
    static var binary: URL { CommandLineTests.binary }

    @Test("SIGTERM does not wait for a client trickling a body: the process exits after the grace period")
    func graceBoundsShutdown() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the gusp binary first (swift build)")
        let directory = try CommandLineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = 20_000 + Int.random(in: 0..<20_000)
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["serve", "--port", String(port), "--no-workers"]
        var environment = CommandLineTests.environment(directory)
        environment["GUSP_SHUTDOWN_GRACE_SECONDS"] = "1"
        environment["GUSP_LOG_LEVEL"] = "error"
        process.environment = environment
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try ChildProcess.start(process)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // Ready: a connection is accepted.
        var socket: Int32 = -1
        for _ in 0..<200 where socket < 0 {
            socket = Self.connect(port)
            if socket < 0 { try await Task.sleep(for: .milliseconds(100)) }
        }
        try #require(socket >= 0, "the server did not start")
        defer { close(socket) }
        // A request whose body never comes whole.
        let head = "POST /v1/auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"em"
        _ = head.withCString { send(socket, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        try await Task.sleep(for: .milliseconds(300))
        kill(process.processIdentifier, SIGTERM)
        var waited = 0
        while process.isRunning, waited < 300 {
            try await Task.sleep(for: .milliseconds(100))
            waited += 1
        }
        #expect(!process.isRunning, "still running 30 s after SIGTERM, with a grace of 1 s")
    }

    @Test("the benchmark commands are hidden from gusp --help but still run")
    func benchHidden() throws {
        let directory = try CommandLineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let help = try CommandLineTests.run(["--help"], in: directory)
        #expect(!help.output.contains("bench-sweep"))
        #expect(!help.output.contains("bench-indicators"))
        let own = try CommandLineTests.run(["bench-sweep", "--help"], in: directory)
        #expect(own.status == 0)
        #expect(own.output.contains("--open"))
    }

    static func connect(_ port: Int) -> Int32 {
        let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return -1 }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if connected != 0 {
            close(descriptor)
            return -1
        }
        return descriptor
    }
}
