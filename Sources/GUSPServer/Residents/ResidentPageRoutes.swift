import Foundation
import GUSPCore
import HTTPTypes
import Hummingbird

/// The HTML pages residents open from a message or a phone call, without an account: `/suivi/{reference}`
/// (where a signalement stands), `/retour/{token}` ("est-ce réglé ?": a GET records a provisional answer,
/// the form's POST confirms it), `/desabonnement/{token}` (a GET asks, a POST unsubscribes; mail clients'
/// one-click POST of RFC 8058 too). Their links carry secrets: never cached, never sent as a referrer.
struct ResidentPageRoutes {
    let store: Store

    static var policy: String {
        "default-src 'none'; style-src '\(PrintablePage.styleSourceHash)'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    }

    func register(on router: Router<GUSPRequestContext>) {
        router.get("/suivi/:reference") { _, context in
            let reference = context.parameters.get("reference") ?? ""
            do {
                return Self.page(.ok, ResidentPages.tracking(try await store.publicSignalement(reference: reference)))
            } catch DomainError.notFound {
                return Self.page(
                    .notFound,
                    ResidentPages.message(
                        title: "Référence inconnue",
                        "Aucun signalement ne porte la référence « \(reference.prefix(40)) ». Vérifiez-la, par exemple VAL-26-00042."))
            }
        }
        router.get("/retour/:token") { request, context in
            let token = context.parameters.get("token") ?? ""
            let answer = request.uri.queryParameters.get("reponse").flatMap(FeedbackAnswer.init(rawValue:))
            return try await feedbackPage(token) { try await store.openFeedback(token: token, answer: answer) }
        }
        router.post("/retour/:token") { _, context in
            let token = context.parameters.get("token") ?? ""
            let form = Self.form(RequestState.current.body)
            guard let answer = form["reponse"].flatMap(FeedbackAnswer.init(rawValue:)) else {
                return Self.page(
                    .unprocessableContent,
                    ResidentPages.message(title: "Réponse manquante", "Choisissez « oui », « non » ou « en partie », puis confirmez.", form: nil))
            }
            return try await feedbackPage(token) { try await store.confirmFeedback(token: token, answer: answer, comment: form["commentaire"]) }
        }
        router.get("/desabonnement/:token") { _, context in
            let token = context.parameters.get("token") ?? ""
            guard try await store.knowsUnsubscribeToken(token) else { return Self.unknownLink() }
            return Self.page(
                .ok,
                ResidentPages.message(
                    title: "Ne plus recevoir de messages", "Confirmez pour ne plus recevoir aucun message de ce service à cette adresse.",
                    form: "/desabonnement/" + token, button: "Me désabonner"))
        }
        router.post("/desabonnement/:token") { _, context in
            let token = context.parameters.get("token") ?? ""
            guard try await store.unsubscribe(token: token) else { return Self.unknownLink() }
            return Self.page(
                .ok,
                ResidentPages.message(
                    title: "Désabonnement enregistré",
                    "Vous ne recevrez plus de messages de ce service à cette adresse. Avec un compte, vous pouvez les rétablir dans vos préférences.")
            )
        }
    }

    private func feedbackPage(_ token: String, _ body: () async throws -> FeedbackQuestion) async throws -> Response {
        do {
            let question = try await body()
            let effective = question.effectiveAt.map { "le \(Self.day($0)) vers \(Self.time($0))" }
            return Self.page(.ok, ResidentPages.feedback(question, token: token, effectiveAt: effective))
        } catch DomainError.gone(let detail) {
            return Self.page(.gone, ResidentPages.message(title: "Lien déjà utilisé ou expiré", "Merci : \(detail)."))
        } catch DomainError.notFound {
            return Self.unknownLink()
        } catch let failure as ValidationFailure {
            return Self.page(
                .unprocessableContent, ResidentPages.message(title: "Réponse refusée", failure.errors.map(\.message).joined(separator: " ; ")))
        }
    }

    static func unknownLink() -> Response {
        page(.notFound, ResidentPages.message(title: "Lien inconnu", "Ce lien n'existe pas ou plus. Vérifiez qu'il est complet."))
    }

    static func page(_ status: HTTPResponse.Status, _ html: String) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        headers[.contentSecurityPolicy] = policy
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// An `application/x-www-form-urlencoded` body (the forms', and RFC 8058's `List-Unsubscribe=One-Click`).
    static func form(_ body: [UInt8]) -> [String: String] {
        var values: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if let key = parts.first, values[key] == nil { values[key] = parts.count > 1 ? parts[1] : "" }
        }
        return values
    }

    static func day(_ milliseconds: Int64) -> String { FrenchDates.day(milliseconds) }
    static func time(_ milliseconds: Int64) -> String { FrenchDates.time(milliseconds) }
}
