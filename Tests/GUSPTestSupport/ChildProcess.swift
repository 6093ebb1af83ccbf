import Foundation
import Glibc
import Synchronization

/// Starts and kills child processes one at a time: Foundation's `Process.run()` on Linux copies the
/// parent's state while it forks, and a launch racing another launch, or the end of another child
/// (its pipes and monitoring source torn down), crashed the test process (SIGSEGV in `memcpy` under
/// `Process.run`).
public enum ChildProcess {
    private static let launching = Mutex(())

    public static func start(_ process: Process) throws {
        try launching.withLock { _ in try process.run() }
    }

    /// Kills a running child (SIGKILL: test servers need no graceful stop) and waits for its end.
    public static func kill(_ process: Process) {
        launching.withLock { _ in
            guard process.isRunning else { return }
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
