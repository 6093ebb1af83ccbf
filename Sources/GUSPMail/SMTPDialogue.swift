import NIOCore

/// The command sequence of one delivery over an open ``SMTPConnection`` (RFC 5321 §3, RFC 3207, RFC 4954).
struct SMTPDialogue {
    let connection: SMTPConnection
    let configuration: SMTPConfiguration
    /// True once TLS protects the connection (implicit TLS, or after STARTTLS).
    var isEncrypted: Bool
    private var extensions = SMTPServerExtensions()

    init(connection: SMTPConnection, configuration: SMTPConfiguration, isEncrypted: Bool) {
        self.connection = connection
        self.configuration = configuration
        self.isEncrypted = isEncrypted
    }

    /// Runs greeting to end of DATA; returns the final reply's text. The caller sends QUIT and closes.
    mutating func deliver(_ message: String, from sender: String, to recipient: String) async throws(SMTPFailure) -> String {
        let greeting = try await self.call(.greeting) { connection throws(SMTPConnectionError) in try await connection.greeting() }
        try self.check(greeting, step: .greeting, code: 220)
        try await self.hello()
        try await self.negotiateTLS()
        try await self.authenticate()

        var parameters: [String] = []
        if self.extensions.supports8BitMIME { parameters.append("BODY=7BIT") }
        if self.extensions.supportsSize {
            let size = message.utf8.count
            if let limit = self.extensions.maximumSize, size > limit {
                throw .permanentMessage(code: 0, "refused before sending: the message has \(size) bytes, the server's SIZE limit is \(limit)")
            }
            parameters.append("SIZE=\(size)")
        }
        try await self.command(.mailFrom, (["MAIL FROM:<\(sender)>"] + parameters).joined(separator: " "))
        try await self.command(.rcptTo, "RCPT TO:<\(recipient)>")
        try await self.command(.data, "DATA", code: 354)
        let payload = SMTPDataEncoding.payload(message)
        let reply = try await self.call(.messageBody) { connection throws(SMTPConnectionError) in try await connection.send(payload) }
        try self.check(reply, step: .messageBody)
        return reply.description
    }

    /// EHLO; its reply replaces whatever the server advertised before.
    private mutating func hello() async throws(SMTPFailure) {
        let reply = try await self.command(.ehlo, "EHLO \(self.configuration.heloName)")
        self.extensions = SMTPServerExtensions(ehloReply: reply)
    }

    /// STARTTLS as the security setting asks, then EHLO again over TLS (forgetting the plaintext extensions).
    private mutating func negotiateTLS() async throws(SMTPFailure) {
        switch self.configuration.security {
        case .implicitTLS, .none:
            return
        case .startTLSWhenOffered:
            guard self.extensions.supportsStartTLS else { return }
        case .startTLSRequired:
            guard self.extensions.supportsStartTLS else {
                throw .configuration("\(self.server) does not offer STARTTLS, which the configuration requires (starttls=required)")
            }
        }
        let context = try SMTPTLS.makeContext(self.configuration)
        try await self.command(.startTLS, "STARTTLS", code: 220)
        let hostname = SMTPTLS.serverHostname(for: self.configuration.host)
        try await self.call(.startTLS) { connection throws(SMTPConnectionError) in
            try await connection.startTLS(context: context, serverHostname: hostname)
        }
        self.isEncrypted = true
        self.extensions = SMTPServerExtensions()
        try await self.hello()
    }

    /// AUTH with the configured credentials, if any: PLAIN if offered, else LOGIN.
    private func authenticate() async throws(SMTPFailure) {
        guard let username = self.configuration.username, let password = self.configuration.password else { return }
        guard self.isEncrypted || self.configuration.security == .none else {
            throw .configuration(
                "\(self.server) offers no STARTTLS: refusing to send the password unencrypted "
                    + "(use starttls=never only for a trusted test relay)"
            )
        }
        guard let mechanism = SMTPAuthentication.mechanism(offered: self.extensions.authMechanisms) else {
            let offered = self.extensions.authMechanisms.sorted().joined(separator: " ")
            throw .configuration("\(self.server) offers no AUTH PLAIN or LOGIN (offers: \(offered.isEmpty ? "no AUTH" : offered))")
        }
        var reply: SMTPReply
        switch mechanism {
        case .plain:
            let response = SMTPAuthentication.plainResponse(username: username, password: password)
            reply = try await self.call(.auth) { connection throws(SMTPConnectionError) in try await connection.command("AUTH PLAIN \(response)") }
            if reply.code == 334 {
                reply = try await self.call(.auth) { connection throws(SMTPConnectionError) in try await connection.command(response) }
            }
        case .login:
            try await self.command(.auth, "AUTH LOGIN", code: 334)
            try await self.command(.auth, SMTPAuthentication.loginResponse(username), code: 334)
            reply = try await self.call(.auth) { connection throws(SMTPConnectionError) in
                try await connection.command(SMTPAuthentication.loginResponse(password))
            }
        }
        guard reply.code == 235 else {
            if reply.isPermanentNegative {
                throw .configuration("\(self.server) refused AUTH \(mechanism.rawValue) for user '\(username)': \(reply)")
            }
            throw SMTPFailure(unexpected: reply, step: .auth)
        }
    }

    /// Sends `line`, expects `code` (any 2xx when nil), returns the reply.
    @discardableResult
    private func command(_ step: SMTPStep, _ line: String, code: Int? = nil) async throws(SMTPFailure) -> SMTPReply {
        let reply = try await self.call(step) { connection throws(SMTPConnectionError) in try await connection.command(line) }
        try self.check(reply, step: step, code: code)
        return reply
    }

    private func check(_ reply: SMTPReply, step: SMTPStep, code: Int? = nil) throws(SMTPFailure) {
        let isExpected = code.map { reply.code == $0 } ?? reply.isPositiveCompletion
        if !isExpected { throw SMTPFailure(unexpected: reply, step: step) }
    }

    /// Runs one connection operation, mapping its failure for `step`.
    private func call<Result>(
        _ step: SMTPStep,
        _ operation: (SMTPConnection) async throws(SMTPConnectionError) -> Result
    ) async throws(SMTPFailure) -> Result {
        do throws(SMTPConnectionError) {
            return try await operation(self.connection)
        } catch {
            throw SMTPFailure(error, step: step, configuration: self.configuration)
        }
    }

    private var server: String {
        "\(self.configuration.host):\(self.configuration.port)"
    }
}
