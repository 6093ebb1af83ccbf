import Foundation
import GUSPCore
import HTTPTypes
import Hummingbird

/// How many writes of each kind one account may make per hour: filings, comments and photos are each
/// counted on their own. Residents register themselves, so theirs are tight; staff and partner systems
/// (who may push a back office's backlog) get more.
public struct AccountLimits: Sendable {
    public var residentWritesPerHour: Int
    public var staffWritesPerHour: Int

    public init(residentWritesPerHour: Int = 60, staffWritesPerHour: Int = 3_600) {
        self.residentWritesPerHour = residentWritesPerHour
        self.staffWritesPerHour = staffWritesPerHour
    }
}

/// Per-account limits on the writes anyone can make in bulk (one self-registered resident filed a
/// thousand signalements in three seconds), and on confirming one's current password (a stolen session
/// must not guess it faster than a login): over the limit is a 429 with `Retry-After`. After
/// authentication, which names the account, and after idempotency, so that a replayed answer does not
/// count again. Password checks are counted in the database on PostgreSQL, shared by every instance
/// (`Store.admitShared`); bulk writes per process (`RateLimiter`).
struct AccountLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limits: AccountLimits
    let store: Store
    let limiter = RateLimiter()

    enum Kind: String {
        case filing, comment, photo
        /// Confirming one's own `current_password`: guessing it, for whoever holds a session.
        case passwordCheck = "password check"
    }

    /// Ten checks of `current_password` per account per 15 minutes, as many as logins per email.
    static var passwordChecks: RateLimiter.Rule { .init(limit: 10, window: 900) }

    /// What a request writes, by its path's segments (empty ones dropped, as the router drops them).
    static func kind(of request: Request, actor: Actor) -> Kind? {
        let segments = request.uri.path.split(separator: "/")
        guard segments.first == "v1" else { return nil }
        if request.method == .patch, segments.count == 3, segments[1] == "users", String(segments[2]).removingPercentEncoding == actor.id,
            Self.confirmsPassword(RequestState.current.body)
        {
            return .passwordCheck
        }
        guard request.method == .post, segments.count >= 2, segments[1] == "signalements" else { return nil }
        switch (segments.count, segments.last) {
        case (2, _): return .filing
        case (4, "comments"): return .comment
        case (4, "photos"): return .photo
        default: return nil
        }
    }

    private struct Confirmation: Decodable {
        var currentPassword: String?
        enum CodingKeys: String, CodingKey { case currentPassword = "current_password" }
    }

    static func confirmsPassword(_ body: [UInt8]) -> Bool {
        (try? JSONDecoder().decode(Confirmation.self, from: Data(body)))?.currentPassword != nil
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let actor = RequestState.current.actor, let kind = Self.kind(of: request, actor: actor) else {
            return try await next(request, context)
        }
        let perHour = actor.role == .resident ? limits.residentWritesPerHour : limits.staffWritesPerHour
        let rule = kind == .passwordCheck ? Self.passwordChecks : RateLimiter.Rule(limit: perHour, window: 3_600)
        // Guessing a password is counted by every instance together; bulk writes per process.
        let key = "\(kind.rawValue):\(actor.id)"
        let shared = kind == .passwordCheck && store.countsLimitsInDatabase
        if let wait = shared ? try await store.admitShared(key, limit: rule.limit, window: rule.window) : await limiter.admit(key, rule) {
            var problem = Problem(
                .tooManyRequests, "rate-limited",
                detail: "this account made too many \(kind.rawValue)s lately; try again in \(wait) s")
            problem.headers[.retryAfter] = String(wait)
            throw problem
        }
        return try await next(request, context)
    }
}
