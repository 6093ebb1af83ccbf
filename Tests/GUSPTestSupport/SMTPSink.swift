import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real SMTP server for one test: `python3 scripts/smtp-sink.py` (aiosmtpd) on 127.0.0.1, a free port,
/// storing what it accepts in a temporary folder. Start it with ``start(_:)``, always ``stop()`` it.
///
/// Without python3 or aiosmtpd, ``start(_:)`` throws a ``SinkError`` saying so: the test fails, never skips.
/// Waiting for the process happens on Dispatch threads, never on the (small) Swift concurrency pool, so that
/// parallel tests cannot delay each other's timeouts. `@unchecked Sendable`: its state is immutable after start.
public final class SMTPSink: @unchecked Sendable {
    public struct SinkError: Error, CustomStringConvertible {
        public var description: String
    }

    /// A stored message as the sink and Python's `email` parser see it.
    public struct Message {
        public var raw: String
        public var envelope: Envelope
        public var parsed: ParsedMessage

        /// The decoded text of the first part of this type (`text/plain`, `text/html`).
        public func part(_ contentType: String) -> String? { parsed.parts.first { $0.contentType == contentType }?.text }
        public var text: String? { part("text/plain") }
        public var html: String? { part("text/html") }
    }

    public struct Envelope: Decodable {
        public var mailFrom: String
        public var rcptTos: [String]
        public var mailOptions: [String]
        public var tls: Bool
        public var auth: String?
        public var helo: String?
    }

    public struct ParsedMessage: Decodable {
        public struct Part: Decodable {
            public var contentType: String
            public var charset: String?
            public var transferEncoding: String?
            public var text: String
        }

        /// From, To and Subject decoded by Python's legacy RFC 2047 API (keys lower-cased).
        public var decoded: [String: String]
        public var subject: String?
        public var from: String?
        public var to: String?
        public var headerNames: [String]
        public var headers: [[String]]
        public var contentType: String
        public var parts: [Part]
        public var defects: [String]

        public func header(_ name: String) -> String? {
            self.headers.first { $0.first?.lowercased() == name.lowercased() }?.last
        }
    }

    public let port: Int
    public let directory: URL
    private let stopped = Flag()
    private let process: Process
    private let stderrPath: URL

    /// The package root, found from this file's path (Tests/GUSPTestSupport/SMTPSink.swift).
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private init(port: Int, directory: URL, process: Process, stderrPath: URL) {
        self.port = port
        self.directory = directory
        self.process = process
        self.stderrPath = stderrPath
    }

    /// Starts the sink with extra command-line options (e.g. `["--auth", "user:pw"]`) and waits for its port.
    public static func start(_ options: [String] = []) async throws -> SMTPSink {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try startBlocking(options) })
            }
        }
    }

    private static func startBlocking(_ options: [String]) throws -> SMTPSink {
        let script = packageRoot.appendingPathComponent("scripts/smtp-sink.py").path
        guard FileManager.default.fileExists(atPath: script) else {
            throw SinkError(description: "smtp-sink: \(script) is missing")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gusp-smtp-sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let stderrPath = directory.appendingPathComponent("sink.stderr")
        _ = FileManager.default.createFile(atPath: stderrPath.path, contents: nil)
        let mailDirectory = directory.appendingPathComponent("mail")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--port", "0", "--dir", mailDirectory.path] + options
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: stderrPath)
        process.standardInput = FileHandle.nullDevice
        do {
            try ChildProcess.start(process)
        } catch {
            throw SinkError(description: "smtp-sink: cannot run /usr/bin/env python3: \(error). The SMTP tests need python3 with aiosmtpd")
        }
        let line = readLine(stdout.fileHandleForReading.fileDescriptor, deadline: .now() + .seconds(30))
        guard let line, line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            end(process)
            let stderr = (try? String(contentsOf: stderrPath, encoding: .utf8)) ?? ""
            throw SinkError(
                description: "smtp-sink did not start (the SMTP tests need python3 with aiosmtpd: pip install aiosmtpd). "
                    + "stdout: \(line ?? "<nothing>"); stderr: \(stderr.suffix(2000))"
            )
        }
        return SMTPSink(port: port, directory: mailDirectory, process: process, stderrPath: stderrPath)
    }

    /// `smtp://127.0.0.1:<port>` with an optional host, scheme, userinfo and query.
    public func url(scheme: String = "smtp", host: String = "127.0.0.1", userinfo: String? = nil, query: String? = nil) -> String {
        let user = userinfo.map { "\($0)@" } ?? ""
        return "\(scheme)://\(user)\(host):\(self.port)" + (query.map { "?\($0)" } ?? "")
    }

    /// Waits until at least `count` messages arrived (or `timeout` passed), and returns them all.
    public func waitForMessages(_ count: Int, timeout: Duration = .seconds(10)) async throws -> [Message] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let received = try messages()
            if received.count >= count { return received }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try messages()
    }

    /// Every stored message, oldest first.
    public func messages() throws -> [Message] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: self.directory.path)) ?? []
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try names.filter { $0.hasSuffix(".eml") }.sorted().map { name in
            let base = self.directory.appendingPathComponent(String(name.dropLast(4)))
            let raw = try String(contentsOf: base.appendingPathExtension("eml"), encoding: .utf8)
            let envelope = try decoder.decode(Envelope.self, from: Data(contentsOf: base.appendingPathExtension("json")))
            let parsed = try decoder.decode(
                ParsedMessage.self, from: Data(contentsOf: URL(fileURLWithPath: base.path + ".parsed.json")))
            return Message(raw: raw, envelope: envelope, parsed: parsed)
        }
    }

    /// What the sink wrote on stderr (aiosmtpd's log), for failure messages.
    public var log: String {
        (try? String(contentsOf: self.stderrPath, encoding: .utf8)) ?? ""
    }

    /// Removes the sink's folder and terminates it: SIGTERM now, the wait (and SIGKILL after 5 s) in the background.
    public func stop() {
        guard !self.stopped.exchange(true) else { return }
        if self.process.isRunning { self.process.terminate() }
        try? FileManager.default.removeItem(at: self.directory.deletingLastPathComponent())
        DispatchQueue.global().async { Self.end(self.process) }
    }

    deinit {
        if self.process.isRunning { self.process.terminate() }
    }

    /// A thread-safe "done once" flag.
    private final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false

        func exchange(_ newValue: Bool) -> Bool {
            self.lock.lock()
            defer { self.lock.unlock() }
            let old = self.value
            self.value = newValue
            return old
        }
    }

    private static func end(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = DispatchTime.now() + .seconds(5)
        while process.isRunning && DispatchTime.now() < deadline { usleep(10_000) }
        ChildProcess.kill(process)
    }

    /// Reads one line from `descriptor`, waiting at most until `deadline`; nil on EOF or timeout.
    private static func readLine(_ descriptor: Int32, deadline: DispatchTime) -> String? {
        var bytes: [UInt8] = []
        while DispatchTime.now() < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let remaining = Int32(max(1, (deadline.uptimeNanoseconds - DispatchTime.now().uptimeNanoseconds) / 1_000_000))
            guard poll(&poller, 1, min(remaining, 1000)) >= 0 else { return nil }
            if poller.revents == 0 { continue }
            var byte: UInt8 = 0
            guard read(descriptor, &byte, 1) == 1 else { return nil }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        return nil
    }
}
