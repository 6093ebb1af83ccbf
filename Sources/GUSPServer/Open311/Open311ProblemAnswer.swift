import HTTPTypes
import Hummingbird

/// An error raised outside the Open311 handlers (a body too large, a method not allowed, a rate
/// limit, storage unavailable, an unknown path) answered as Open311's own error list, in the format
/// the path names (XML without an extension, as the specification's default), with the problem's
/// status and headers (`Allow`, `Retry-After`).
enum Open311ProblemAnswer {
    static func isOpen311(_ path: String) -> Bool { path == Open311Routes.base || path.hasPrefix(Open311Routes.base + "/") }

    static func response(for problem: Problem, path: String, acceptLanguage: String?) -> Response {
        let last = path.split(separator: "/").last ?? ""
        let format = Open311Format.split(last)?.format ?? .xml
        let english = problem.detail ?? problem.title
        let error = Open311Error(problem.status, "\(french(problem.status)) (\(english))", en: english)
        var headers = problem.headers
        headers[.contentType] = format.contentType
        return Response(
            status: .init(code: problem.status), headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: error.document(Open311Language(acceptLanguage: acceptLanguage)).rendered(as: format))))
    }

    static func french(_ status: Int) -> String {
        switch status {
        case 400: "requête illisible"
        case 401, 403: "accès refusé"
        case 404: "ressource inconnue"
        case 405: "méthode non permise ici"
        case 406: "format de réponse non disponible"
        case 409: "conflit"
        case 413: "requête trop volumineuse"
        case 415: "type de contenu non accepté"
        case 422: "requête invalide"
        case 429: "trop de demandes : réessayez plus tard"
        case 503: "service momentanément indisponible : réessayez plus tard"
        default: status >= 500 ? "erreur du serveur" : "requête refusée"
        }
    }
}
