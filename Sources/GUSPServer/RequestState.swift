import GUSPCore

/// What the middleware learned about the current request, handed to the generated handlers
/// (which do not receive Hummingbird's context) through a task-local value.
struct RequestState: Sendable {
    var requestId: String
    /// The authenticated caller, or nil when no `Authorization` header was sent.
    var actor: Actor?
    /// The request body as received (at most 1 MiB), to tell an explicit `null` from an absent field.
    var body: [UInt8]
    /// `If-Match` as received, every field line joined (nil when absent): read from the request itself,
    /// never from the generated input, whose header decoding percent-decodes and drops what it cannot.
    var ifMatch: String?

    @TaskLocal static var current = RequestState(requestId: "-", actor: nil, body: [])

    /// The caller, or a 401 when the request carried no credentials.
    static func requireActor() throws -> Actor {
        guard let actor = current.actor else {
            throw AuthenticationFailure("this operation needs a bearer token")
        }
        return actor
    }
}
