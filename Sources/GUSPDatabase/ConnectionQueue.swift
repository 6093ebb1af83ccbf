import Synchronization

/// Lends a fixed set of connections one holder at a time, first come first served.
///
/// A lock rather than an actor: taking a free connection does not suspend, so the group commit's loop
/// (which runs on the direct writer's thread, see `IntakeBatcher`) takes the writer without a hop to
/// the shared pool and back, which under load cost it a few hundred microseconds per batch.
package final class ConnectionQueue<Connection: Sendable>: Sendable {
    private struct Lent {
        var idle: [Connection]
        var waiters: [CheckedContinuation<Connection, Never>] = []
    }

    private let lent: Mutex<Lent>
    package let capacity: Int

    package init(_ connections: [Connection]) {
        lent = Mutex(Lent(idle: connections))
        capacity = connections.count
    }

    /// Connections lent out now.
    package var inUse: Int { capacity - lent.withLock { $0.idle.count } }

    package func acquire() async -> Connection {
        if let connection = lent.withLock({ $0.idle.popLast() }) { return connection }
        return await withCheckedContinuation { waiter in
            let free = lent.withLock { lent -> Connection? in
                // Released between the two locks: take it now rather than wait for the next release.
                if let connection = lent.idle.popLast() { return connection }
                lent.waiters.append(waiter)
                return nil
            }
            if let free { waiter.resume(returning: free) }
        }
    }

    package func release(_ connection: Connection) {
        let waiter = lent.withLock { lent -> CheckedContinuation<Connection, Never>? in
            if lent.waiters.isEmpty {
                lent.idle.append(connection)
                return nil
            }
            return lent.waiters.removeFirst()
        }
        waiter?.resume(returning: connection)
    }

    /// Lends one connection to `body` and takes it back afterwards, whether `body` throws or not.
    package func withConnection<Result: Sendable>(
        _ body: (Connection) async throws -> Result
    ) async throws -> Result {
        let connection = await acquire()
        defer { release(connection) }
        return try await body(connection)
    }

    /// Takes every connection back (waiting for those lent out) so they can be closed.
    package func drain(count: Int) async -> [Connection] {
        var all: [Connection] = []
        while all.count < count { all.append(await acquire()) }
        return all
    }
}
