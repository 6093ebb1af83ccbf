import Foundation
import GUSPAPI
import GUSPCore

/// Implements the generated `APIProtocol`: one extension per tag of the spec, each mapping the
/// generated types to the store's commands and back.
struct APIHandler: APIProtocol {
    let store: Store
    let migrator: Migrator
}

extension APIHandler {
    /// The version the request's `If-Match` names: nil when absent or `*`; -1 (never current, so 412) for
    /// anything else than one strong tag: `If-Match` compares strongly, so a weak `W/"3"` never matches,
    /// and a value that does not parse (`"%zz"`, a list) fails the precondition. Read as received
    /// (`RequestState.ifMatch`), never percent-decoded.
    func expectedVersion() -> Int? {
        Self.expectedVersion(RequestState.current.ifMatch)
    }

    static func expectedVersion(_ ifMatch: String?) -> Int? {
        guard let ifMatch = ifMatch?.trimmingWhitespace, !ifMatch.isEmpty, ifMatch != "*" else { return nil }
        guard ifMatch.count >= 3, ifMatch.hasPrefix("\""), ifMatch.hasSuffix("\"") else { return -1 }
        let digits = ifMatch.dropFirst().dropLast()
        // Strong comparison is of the tag's characters: "03" is not "3".
        guard !digits.isEmpty, digits.allSatisfy({ ("0"..."9").contains($0) }), digits == "0" || digits.first != "0" else { return -1 }
        return Int(digits) ?? -1
    }

    func etag(_ version: Int) -> String { "\"\(version)\"" }

    /// How one refused item of a batch is answered: the status it would have had alone, the detail,
    /// and its field errors named under `items[index]`.
    static func itemRefusal(_ error: (any Error)?, index: Int) -> (status: Int, detail: String?, errors: [Components.Schemas.FieldError]?) {
        let problem = ErrorMapping.problem(for: error ?? DomainError.conflict("unknown failure"))
        return (problem.status, problem.detail, problem.errors?.map { .init(field: "items[\(index)]." + $0.field, message: $0.message) })
    }

    /// For merge patches: the top-level fields the client set to an explicit `null`.
    func nullFields() -> Set<String> {
        guard let object = try? JSONSerialization.jsonObject(with: Data(RequestState.current.body)) as? [String: Any] else {
            return []
        }
        return Set(object.filter { $0.value is NSNull }.map(\.key))
    }

    /// A merge-patch field: absent (nil), cleared (`.some(nil)`), or set.
    func patch<T>(_ value: T?, _ field: String, nulls: Set<String>) -> T?? {
        if let value { return .some(value) }
        return nulls.contains(field) ? .some(nil) : nil
    }
}
