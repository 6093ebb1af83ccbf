import Foundation
import GUSPAPI
import GUSPCore
import Hummingbird
import Logging
import OpenAPIHummingbird
import OpenAPIRuntime
import ServiceLifecycle

/// The HTTP routes of gusp over a store: the generated API, operations routes, and the middleware
/// chain of docs/architecture.md (CORS → request id and logs → body checks → rate limits → authentication →
/// the contract's checks → conditional reads → CSV dialects →
/// idempotency → `Location` → per-account limits), and
/// the filing route's own answer writer (`FilingMiddleware`).
public func buildRouter(
    store: Store, open311: Open311Settings = Open311Settings(), limits: AccountLimits = AccountLimits(),
    cors: CORSPolicy = CORSPolicy()
) throws
    -> Router<GUSPRequestContext>
{
    // HEAD answers wherever GET does, without the body (RFC 9110 §9.1).
    let router = Router(context: GUSPRequestContext.self, options: .autoGenerateHeadEndpoints)
    let metrics = HTTPMetrics()
    let routeMethods = RouteMethodsSlot()
    router.add(middleware: CORSMiddleware(policy: cors, routes: routeMethods))
    router.add(middleware: RequestLogMiddleware(metrics: metrics))
    router.add(middleware: BodyMiddleware())
    router.add(middleware: RateLimitMiddleware(store: store))
    router.add(middleware: AuthenticationMiddleware(store: store))
    router.add(middleware: ContractValidationMiddleware(rules: try ContractRules.shared.get()))
    router.add(middleware: ConditionalReadMiddleware())
    router.add(middleware: CSVDialectMiddleware())
    router.add(middleware: IdempotencyMiddleware(store: store))
    router.add(middleware: CreatedLocationMiddleware(routes: routeMethods))
    router.add(middleware: AccountLimitMiddleware(limits: limits, store: store))
    let handler = APIHandler(store: store, migrator: Migrator(database: store.database))
    router.add(middleware: FilingMiddleware(handler: handler))
    router.get("/metrics") { _, _ in
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(
                byteBuffer: ByteBuffer(
                    string: metrics.render() + (try await MailMetrics.render(store)) + (try await OperationalMetrics.render(store)))))
    }
    router.get("/openapi.yaml") { _, _ in
        Response(
            status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: try Contract.yaml())))
    }
    Open311Routes(store: store, settings: open311).register(on: router)
    ResidentPageRoutes(store: store).register(on: router)
    try handler
        // Compact JSON with sorted keys: the same representation gives the same bytes, so that a list's
        // entity tag (a hash of them) holds until the data changes. Pretty-printing, the runtime's
        // default, cost a filing's answer a tenth of the server's time.
        .registerHandlers(
            on: router, configuration: Configuration(dateTranscoder: RFC3339Dates(), jsonEncodingOptions: [.sortedKeys]))
    let table = RouteMethods(routes: router.routes)
    routeMethods.fill(table)
    // Last: in front of "not found" only (see the middleware).
    router.add(middleware: MethodNotAllowedMiddleware(routes: table))
    return router
}

/// A runnable gusp server. The database is opened by the caller, which also closes it.
public func buildApplication(
    settings: ServerSettings, store: Store, services: [any Service] = [], logger: Logger
) throws -> some ApplicationProtocol {
    var open311 = settings.open311
    if open311.publicURL == nil { open311.publicURL = "http://\(settings.host):\(settings.port)" }
    var application = Application(
        router: try buildRouter(store: store, open311: open311, limits: settings.accountLimits, cors: settings.cors),
        // A connection with nothing read or written for this long is closed (idle keep-alives, stalled clients).
        server: .http1(configuration: .init(idleTimeout: .seconds(Int64(settings.idleTimeoutSeconds)))),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "gusp"),
        services: services,
        logger: logger)
    application.addServices()
    return application
}

/// The contract, as shipped inside the binary's resource bundle.
enum Contract {
    static func yaml() throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw Problem(.internalServerError, "internal", detail: "the contract is missing from this build")
        }
        return Array(try Data(contentsOf: url))
    }
}
