import Glibc
import Hummingbird
import Logging
import ServiceLifecycle

/// Runs a gusp application until SIGTERM or SIGINT: it stops accepting at once, lets the requests in
/// flight finish for `GUSP_SHUTDOWN_GRACE_SECONDS`, then cancels what is left (a client trickling a
/// body cannot keep the process alive), the workers stopping between two steps.
public func serve(_ application: some ApplicationProtocol, settings: ServerSettings, logger: Logger) async throws {
    raiseOpenFileLimit(logger: logger)
    var configuration = ServiceGroupConfiguration(
        services: [.init(service: application)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    configuration.maximumGracefulShutdownDuration = .seconds(settings.shutdownGraceSeconds)
    configuration.maximumCancellationDuration = .seconds(5)
    try await ServiceGroup(configuration: configuration).run()
}

/// Raises the soft limit of open files to the hard one: each connection is a file, and the common
/// default of 1,024 is reached long before the machine's capacity.
func raiseOpenFileLimit(logger: Logger) {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
    let before = limit.rlim_cur
    limit.rlim_cur = limit.rlim_max
    if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
        logger.info("open file limit raised", metadata: ["from": "\(before)", "to": "\(limit.rlim_max)"])
    }
}
