import Foundation

/// Who stands in which relation to one signalement, for the workflow's table.
public enum SignalementParty: String, Sendable, CaseIterable {
    /// A technician or partner system of the partner the signalement is routed to.
    case assignedPartner = "assigned partner"
    /// A coordinator whose territories hold the signalement (any coordinator when it has no territory).
    case coordinator
    case admin
    /// The resident who reported it.
    case reporter
}

/// One move of the state machine: into `to`, from any of `from`, by any of `by`.
public struct SignalementTransition: Sendable {
    public var to: SignalementStatus
    public var from: [SignalementStatus]
    public var by: Set<SignalementParty>
    /// Whether the mover must say why (a rejection, a hand-back to arbitration).
    public var needsNote: Bool
    /// Done through its own endpoint rather than `POST …/transitions`.
    public var endpoint: String?
}

/// The signalement state machine (docs/architecture.md, Signalements): the one table that says which state may follow which,
/// and who may move it. The README prints it (`gusp workflow`).
public enum SignalementWorkflow {
    public static let transitions: [SignalementTransition] = [
        .init(to: .acknowledged, from: [.submitted], by: [.assignedPartner, .coordinator, .admin], needsNote: false),
        .init(
            to: .assigned, from: [.submitted, .acknowledged, .needsArbitration, .assigned, .reopened],
            by: [.coordinator, .admin], needsNote: false, endpoint: "POST /v1/signalements/{id}/assign"),
        .init(to: .inProgress, from: [.acknowledged, .assigned, .reopened], by: [.assignedPartner, .coordinator, .admin], needsNote: false),
        .init(
            to: .resolved, from: [.acknowledged, .assigned, .inProgress, .reopened],
            by: [.assignedPartner, .coordinator, .admin], needsNote: false),
        .init(to: .closed, from: [.resolved], by: [.reporter, .coordinator, .admin], needsNote: false),
        .init(to: .reopened, from: [.resolved], by: [.reporter, .coordinator, .admin], needsNote: true),
        .init(
            to: .rejected, from: [.submitted, .acknowledged, .needsArbitration],
            by: [.assignedPartner, .coordinator, .admin], needsNote: true),
        .init(
            to: .needsArbitration, from: [.submitted, .acknowledged, .assigned],
            by: [.assignedPartner, .coordinator, .admin], needsNote: true),
        .init(
            to: .duplicate, from: [.submitted, .acknowledged, .assigned, .needsArbitration],
            by: [.assignedPartner, .coordinator, .admin], needsNote: false, endpoint: "POST /v1/signalements/{id}/duplicate-of"),
    ]

    public static func transition(to status: SignalementStatus) -> SignalementTransition? {
        transitions.first { $0.to == status }
    }

    /// The states that may follow `status`, in the table's order.
    public static func next(after status: SignalementStatus) -> [SignalementStatus] {
        transitions.filter { $0.from.contains(status) }.map(\.to)
    }

    /// Checks that `to` may follow the current state (409 naming the allowed ones) and that the caller
    /// is one of those who may move it (403).
    static func check(
        _ signalement: Signalement, to target: SignalementStatus, parties: Set<SignalementParty>,
        via endpoint: String? = nil
    ) throws -> SignalementTransition {
        guard let rule = transition(to: target) else {
            throw ValidationFailure(field: "to", message: "\(target.rawValue) is the state a signalement is filed in, not one it moves to")
        }
        if rule.endpoint != endpoint, let ruleEndpoint = rule.endpoint {
            throw ValidationFailure(field: "to", message: "use \(ruleEndpoint) to move a signalement to \(target.rawValue)")
        }
        if rule.by.isDisjoint(with: parties) {
            throw DomainError.forbidden(
                "only the " + rule.by.map(\.rawValue).sorted().joined(separator: ", ")
                    + " may move a signalement to \(target.rawValue)")
        }
        guard rule.from.contains(signalement.status) else {
            let allowed = next(after: signalement.status).map(\.rawValue)
            throw DomainError.conflict(
                "a \(signalement.status.rawValue) signalement cannot become \(target.rawValue); "
                    + (allowed.isEmpty ? "it is final" : "allowed: \(allowed.joined(separator: ", "))"))
        }
        return rule
    }

    /// The table as Markdown, as the README shows it.
    public static func markdownTable() -> String {
        var lines = ["| to | from | by | note | endpoint |", "|---|---|---|---|---|"]
        for rule in transitions {
            let by = SignalementParty.allCases.filter(rule.by.contains).map(\.rawValue).joined(separator: ", ")
            lines.append(
                "| `\(rule.to.rawValue)` | \(rule.from.map { "`\($0.rawValue)`" }.joined(separator: ", ")) | \(by) | "
                    + "\(rule.needsNote ? "required" : "optional") | \(rule.endpoint.map { "`\($0)`" } ?? "`POST /v1/signalements/{id}/transitions`") |"
            )
        }
        return lines.joined(separator: "\n")
    }
}

extension SignalementWorkflow {
    /// The states `actor` may move the signalement to now (shown with the signalement): a reporter past
    /// the reopening window is no longer offered to reopen.
    public static func allowed(for actor: Actor, _ signalement: Signalement, reopenWindow: TimeInterval, now: Int64) -> [SignalementStatus] {
        let parties = SignalementAccess.parties(actor, signalement)
        return transitions.filter { rule in
            guard rule.from.contains(signalement.status) else { return false }
            var movers = parties.intersection(rule.by)
            if rule.to == .reopened, !reporterMayReopen(signalement, window: reopenWindow, now: now) { movers.remove(.reporter) }
            return !movers.isEmpty
        }.map(\.to)
    }

    /// Whether the reporter is still within the window to reopen after the resolution.
    static func reporterMayReopen(_ signalement: Signalement, window: TimeInterval, now: Int64) -> Bool {
        guard let resolvedAt = signalement.resolvedAt else { return true }
        return now - resolvedAt <= Int64(window * 1000)
    }
}

extension SignalementWorkflow {
    /// The shortest run of moves (through `POST …/transitions`) by which `party` takes a signalement from
    /// `status` to `target`, without the target itself being passed through twice; nil when there is none.
    /// An intervention that starts takes a `submitted` signalement through `acknowledged` to `in_progress`.
    public static func path(from status: SignalementStatus, to target: SignalementStatus, by party: SignalementParty) -> [SignalementStatus]? {
        if status == target { return [] }
        var routes: [SignalementStatus: [SignalementStatus]] = [status: []]
        var queue = [status]
        while !queue.isEmpty {
            let current = queue.removeFirst()
            for rule in transitions where rule.endpoint == nil && rule.by.contains(party) && rule.from.contains(current) {
                guard routes[rule.to] == nil else { continue }
                let route = routes[current]! + [rule.to]
                if rule.to == target { return route }
                routes[rule.to] = route
                queue.append(rule.to)
            }
        }
        return nil
    }
}
