import Foundation
import GUSPCore
import HTTPTypes
import Hummingbird

/// What the Open311 discovery document says about this deployment.
public struct Open311Settings: Sendable {
    /// The absolute base URL clients reach gusp at (`https://gusp.example.org`, `GUSP_PUBLIC_URL`); nil: the
    /// address gusp listens on (set by `buildApplication`), never the request's `Host`.
    public var publicURL: String?
    static let fallbackURL = "http://127.0.0.1:8080"
    public var contact: String
    public var keyService: String

    public init(
        publicURL: String? = nil, contact: String = "the GUSP coordination of this deployment",
        keyService: String = "ask the GUSP coordination for a partner API key (a registered application is a partner of kind other)"
    ) {
        self.publicURL = publicURL
        self.contact = contact
        self.keyService = keyService
    }
}

/// GeoReport v2 under `/open311/v2/`, in XML and JSON (the format is the path's extension):
/// discovery, services, service definitions, requests (list, one, create) and tokens.
struct Open311Routes {
    let store: Store
    let settings: Open311Settings
    static let base = "/open311/v2"
    /// The changeset of a deployment without any service yet.
    static let changeset = "2026-11-22T00:00:00Z"
    static let maximumSpan: TimeInterval = 90 * 86_400

    func register(on router: Router<GUSPRequestContext>) {
        router.get("\(Self.base)/:resource") { request, context in
            try await answer(request, context.parameters.get("resource") ?? "") { name, format in
                switch name {
                case "discovery": discovery(try await changeset())
                case "services": try await services()
                case "requests": try await requests(try Open311Parameters(query: request.uri.query))
                default: throw Open311Error(404, "ressource inconnue : \(name)", en: "no such resource: \(name)")
                }
            }
        }
        router.post("\(Self.base)/:resource") { request, context in
            try await answer(request, context.parameters.get("resource") ?? "") { name, format in
                guard name == "requests" else { throw Open311Error(404, "ressource inconnue : \(name)", en: "no such resource: \(name)") }
                return try await createRequest(try Open311Parameters(request))
            }
        }
        router.get("\(Self.base)/services/:code") { request, context in
            try await answer(request, context.parameters.get("code") ?? "") { code, _ in try await serviceDefinition(code) }
        }
        router.get("\(Self.base)/requests/:id") { request, context in
            try await answer(request, context.parameters.get("id") ?? "") { id, _ in try await requests(ids: [id], notFound: true) }
        }
        router.get("\(Self.base)/tokens/:token") { request, context in
            try await answer(request, context.parameters.get("token") ?? "") { token, _ in try await tokenLookup(token) }
        }
    }

    /// Runs one call and writes its document, or its Open311 error, in the format the path names.
    private func answer(
        _ request: Request, _ segment: String,
        _ body: (String, Open311Format) async throws -> Open311Document
    ) async throws -> Response {
        let language = Open311Language(acceptLanguage: request.headers[.acceptLanguage])
        guard let (name, format) = Open311Format.split(Substring(segment)) else {
            return respond(
                Open311Error(404, "ajoutez .xml ou .json au chemin", en: "add .xml or .json to the path").document(language),
                status: 404, format: .xml)
        }
        do {
            return respond(try await body(name, format), status: 200, format: format)
        } catch let error as Open311Error {
            return respond(error.document(language), status: error.status, format: format)
        } catch let failure as ValidationFailure {
            // The core's messages are English; the field is named in Open311's words either way.
            let error = Open311Error(
                400,
                descriptions: failure.errors.map {
                    Open311Text(
                        french: "\(Self.open311Name($0.field)) : \($0.message)", english: "\(Self.open311Name($0.field)): \($0.message)")
                })
            return respond(error.document(language), status: 400, format: format)
        } catch let failure as AuthenticationFailure {
            let error = Open311Error(403, "api_key invalide : \(failure.reason)", en: "invalid api_key: \(failure.reason)")
            return respond(error.document(language), status: 403, format: format)
        } catch let error as DomainError {
            let status =
                switch error {
                case .notFound: 404
                case .forbidden: 403
                case .conflict, .versionMismatch, .versionRequired, .gone: 400
                }
            return respond(Open311Error(status, error.description, en: error.description).document(language), status: status, format: format)
        }
    }

    private func respond(_ document: Open311Document, status: Int, format: Open311Format) -> Response {
        Response(
            status: .init(code: status), headers: [.contentType: format.contentType],
            body: .init(byteBuffer: ByteBuffer(bytes: document.rendered(as: format))))
    }

    /// gusp's field names in Open311's words, for error descriptions.
    static func open311Name(_ field: String) -> String {
        switch field {
        case "category_id": "service_code"
        case "location", "location.lat": "lat"
        case "location.long": "long"
        case "address": "address_string"
        case "contact.email": "email"
        case "contact.phone": "phone"
        case "contact.name": "first_name"
        default: field
        }
    }

    // MARK: Discovery and services

    /// The last change of the services (`changeset` of discovery), in W3C form.
    private func changeset() async throws -> String {
        try await store.servicesChangedAt().flatMap { Open311Dates.format(milliseconds: $0) } ?? Self.changeset
    }

    private func discovery(_ changeset: String) -> Open311Document {
        // Never from the request's Host: a client (or a cache between) could make discovery point elsewhere.
        let root = settings.publicURL ?? Open311Settings.fallbackURL
        let trimmed = root.hasSuffix("/") ? String(root.dropLast()) : root
        return Open311Document(
            root: "discovery",
            value: .object([
                ("changeset", .text(changeset)),
                ("contact", .text(settings.contact)),
                ("key_service", .text(settings.keyService)),
                (
                    "endpoints",
                    .list(
                        item: "endpoint",
                        [
                            .object([
                                ("specification", .text("http://wiki.open311.org/GeoReport_v2")),
                                ("url", .text(trimmed + Self.base)),
                                ("changeset", .text(changeset)),
                                ("type", .text("production")),
                                ("formats", .list(item: "format", [.text("text/xml"), .text("application/json")])),
                            ])
                        ])
                ),
            ]))
    }

    private func services() async throws -> Open311Document {
        let services = try await store.publicServices()
        return Open311Document(
            root: "services",
            value: .list(
                item: "service",
                services.map { service in
                    .object([
                        ("service_code", .text(service.code)), ("service_name", .text(service.name)), ("description", .text(service.name)),
                        ("metadata", .boolean(false)), ("type", .text("realtime")),
                        ("keywords", .text(service.code.replacingOccurrences(of: "_", with: " "))),
                        ("group", .text(service.group ?? service.name)),
                    ])
                }))
    }

    private func serviceDefinition(_ code: String) async throws -> Open311Document {
        guard try await store.publicServices().contains(where: { $0.code == code }) else {
            throw Open311Error(404, "service_code \(code) introuvable", en: "service_code \(code) not found")
        }
        // gusp's services ask nothing beyond the standard fields.
        return Open311Document(
            root: "service_definition",
            value: .object([
                ("service_code", .text(code)), ("attributes", .list(item: "attribute", [])),
            ]))
    }
}
