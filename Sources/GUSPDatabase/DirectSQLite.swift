import Dispatch
import NIOPosix
import VaporCSQLite

/// A connection to the SQLite file through SQLite's C interface, for the one write that happens
/// thousands of times a second: the group commit of filings. Through SQLKit and SQLiteNIO, each
/// statement of a batch was built as text, prepared anew, and run as its own hop to a thread pool and
/// back; the batch's handful of hops, on a machine whose cores are busy with requests, made the one
/// writer wait more than it worked. Here a batch is one job on a thread of its own: statements are
/// prepared once and kept, values are bound as they are.
///
/// This is the SQLite library that SQLiteNIO carries (`VaporCSQLite`), not a second copy: two copies
/// in one process would each keep their own record of the file's POSIX locks and could corrupt the
/// database. It writes only while the engine's writer is held, so it never contends with the SQLiteNIO
/// writer for SQLite's write lock; its checkpoints (passive: no write lock, no waiting) run without it.
package final class DirectSQLite: TaskExecutor, @unchecked Sendable {
    // Touched only on `thread`, one job at a time.
    private var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    /// The pages in the WAL after this connection's last commit (its WAL hook).
    private var walPages = 0
    /// This connection checkpoints once the WAL holds this many pages, as SQLite's automatic checkpoint
    /// would, but after the batch's filings have been answered (`checkpointIfDue`), not before.
    package static let checkpointPages = 1_000
    private let thread: NIOThreadPool

    private init(handle: OpaquePointer?, thread: NIOThreadPool) {
        self.handle = handle
        self.thread = thread
    }

    package static func open(path: String, pragmas: [String]) async throws -> DirectSQLite {
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        do {
            return try await thread.runIfActive {
                var handle: OpaquePointer?
                let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_EXRESCODE
                let opened = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
                let connection = DirectSQLite(handle: handle, thread: thread)
                guard opened == SQLITE_OK else {
                    let error = connection.failure(opened, "opening \(path)")
                    sqlite_nio_sqlite3_close_v2(handle)
                    throw error
                }
                sqlite_nio_sqlite3_busy_timeout(handle, 5_000)
                do {
                    for pragma in pragmas { try connection.execute(pragma) }
                } catch {
                    sqlite_nio_sqlite3_close_v2(handle)
                    throw error
                }
                // Replaces SQLite's automatic checkpoint on this connection (see `checkpointIfDue`); set after
                // the pragmas, which could set another. The hook runs only in this connection's commits, on
                // `thread`, while the connection exists (`close` closes the handle before it goes).
                sqlite_nio_sqlite3_wal_hook(
                    handle,
                    { context, _, _, pages in
                        Unmanaged<DirectSQLite>.fromOpaque(context!).takeUnretainedValue().walPages = Int(pages)
                        return SQLITE_OK
                    }, Unmanaged.passUnretained(connection).toOpaque())
                return connection
            }
        } catch {
            try? await thread.shutdownGracefully()
            throw error
        }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction on this connection's thread: committed when it
    /// returns, rolled back when it throws.
    package func transaction<Result: Sendable>(_ body: @escaping @Sendable (DirectSQLite) throws -> Result) async throws -> Result {
        try await thread.runIfActive {
            // A transaction left open (a failed rollback) would make every later BEGIN fail.
            if sqlite_nio_sqlite3_get_autocommit(self.handle) == 0 { try? self.execute("ROLLBACK") }
            try self.execute("BEGIN IMMEDIATE")
            do {
                let result = try body(self)
                try self.execute("COMMIT")
                return result
            } catch {
                try? self.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Copies the WAL into the database (a passive checkpoint, which lets other connections write
    /// meanwhile) once it holds `checkpointPages` pages. The group commit calls it once a batch's filings
    /// have been answered: a checkpoint waits for two `fsync`s, and inside the commit (SQLite's automatic
    /// checkpoint) every filing of that batch waited for them too.
    package func checkpointIfDue() async {
        _ = try? await thread.runIfActive {
            guard self.walPages >= Self.checkpointPages, let handle = self.handle else { return }
            var logged: Int32 = 0, copied: Int32 = 0
            let result = sqlite_nio_sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, &logged, &copied)
            // Not all copied (a reader still on old pages, an I/O error): tried again after the next batch,
            // as SQLite's automatic checkpoint would be after the next commit.
            if result == SQLITE_OK, copied == logged { self.walPages = 0 }
        }
    }

    /// Inserts every row of `rows`, one prepared statement run once per row.
    package func insert(_ rows: TableRows) throws {
        guard !rows.rows.isEmpty else { return }
        let sql = rows.singleRowInsert
        let statement = try prepared(sql)
        for row in rows.rows { try run(statement, sql, row) }
    }

    /// Runs one statement that returns no rows, prepared on first use and kept.
    package func run(_ sql: String, _ values: [ColumnValue]) throws {
        try run(try prepared(sql), sql, values)
    }

    /// Whether a query returns at least one row.
    package func exists(_ sql: String, _ values: [ColumnValue] = []) throws -> Bool {
        let statement = try prepared(sql)
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
        }
        try bind(values, to: statement, sql)
        switch sqlite_nio_sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let stepped: throw failure(stepped, sql)
        }
    }

    private func run(_ statement: OpaquePointer, _ sql: String, _ values: [ColumnValue]) throws {
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
        }
        try bind(values, to: statement, sql)
        let stepped = sqlite_nio_sqlite3_step(statement)
        guard stepped == SQLITE_DONE else { throw failure(stepped, sql) }
    }

    private func bind(_ values: [ColumnValue], to statement: OpaquePointer, _ sql: String) throws {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let bound: Int32 =
                switch value {
                case .text(let text?): sqlite_nio_sqlite3_bind_text64(statement, index, text, UInt64(text.utf8.count), transient, UInt8(SQLITE_UTF8))
                case .integer(let integer?): sqlite_nio_sqlite3_bind_int64(statement, index, integer)
                case .real(let real?): sqlite_nio_sqlite3_bind_double(statement, index, real)
                case .text(nil), .integer(nil), .real(nil): sqlite_nio_sqlite3_bind_null(statement, index)
                }
            guard bound == SQLITE_OK else { throw failure(bound, sql) }
        }
    }

    /// Jobs of tasks that prefer this connection run on its thread (see `IntakeBatcher`): the group
    /// commit's loop, between two batches, then waits behind nothing but itself.
    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        thread.submit { state in
            guard case .active = state else {
                // Closed: the job still runs (a late filing then fails cleanly), elsewhere, not inline.
                DispatchQueue.global().async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
                return
            }
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }

    /// Finalizes the statements and closes the connection (the last one closed checkpoints the WAL),
    /// even from a cancelled task.
    package func close() async {
        await withCheckedContinuation { (closed: CheckedContinuation<Void, Never>) in
            thread.submit { _ in
                for statement in self.statements.values { sqlite_nio_sqlite3_finalize(statement) }
                self.statements = [:]
                sqlite_nio_sqlite3_close_v2(self.handle)
                self.handle = nil
                closed.resume()
            }
        }
        try? await thread.shutdownGracefully()
    }

    private func execute(_ sql: String) throws {
        let result = sqlite_nio_sqlite3_exec(handle, sql, nil, nil, nil)
        guard result == SQLITE_OK else { throw failure(result, sql) }
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        let result = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard result == SQLITE_OK, let statement else { throw failure(result, sql) }
        statements[sql] = statement
        return statement
    }

    private func failure(_ code: Int32, _ sql: String) -> DirectSQLiteError {
        let message = sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "code \(code)"
        return DirectSQLiteError(code: code, message: message, statement: String(sql.prefix(80)))
    }
}

/// SQLite copies the bound text before the call returns (`SQLITE_TRANSIENT`).
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
