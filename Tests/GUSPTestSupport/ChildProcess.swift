import Foundation
import Synchronization

/// Starts child processes one at a time: Foundation's `Process.run()` on Linux copies the parent's
/// state while it forks, and two launches from parallel tests crashed the test process (SIGSEGV in
/// `memcpy` under `Process.run`).
public enum ChildProcess {
    private static let launching = Mutex(())

    public static func start(_ process: Process) throws {
        try launching.withLock { _ in try process.run() }
    }
}
