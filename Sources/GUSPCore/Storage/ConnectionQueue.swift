/// Lends a fixed set of connections one holder at a time, first come first served.
actor ConnectionQueue<Connection: Sendable> {
    private var idle: [Connection]
    private var waiters: [CheckedContinuation<Connection, Never>] = []

    init(_ connections: [Connection]) {
        self.idle = connections
    }

    func acquire() async -> Connection {
        if let connection = idle.popLast() { return connection }
        return await withCheckedContinuation { waiters.append($0) }
    }

    func release(_ connection: Connection) {
        if waiters.isEmpty {
            idle.append(connection)
        } else {
            waiters.removeFirst().resume(returning: connection)
        }
    }

    /// Lends one connection to `body` and takes it back afterwards, whether `body` throws or not.
    nonisolated func withConnection<Result: Sendable>(
        _ body: (Connection) async throws -> Result
    ) async throws -> Result {
        let connection = await acquire()
        do {
            let result = try await body(connection)
            await release(connection)
            return result
        } catch {
            await release(connection)
            throw error
        }
    }

    /// Takes every connection back (waiting for those lent out) so they can be closed.
    func drain(count: Int) async -> [Connection] {
        var all: [Connection] = []
        while all.count < count { all.append(await acquire()) }
        return all
    }
}
