import Foundation

/// When unresolved signalements escalate, and to whom (defaults; a convention in force may set its own
/// fractions for the signalements its commitments cover).
public struct EscalationPolicy: Sendable, Equatable {
    /// Level 2 comes this fraction of the commitment's delay after level 1 (the due date).
    public var level2After: Double
    /// Level 3 comes this fraction of the delay after level 2.
    public var level3After: Double
    /// A signalement waiting for arbitration this long escalates to the coordinators.
    public var arbitrationAfter: TimeInterval

    public init(level2After: Double = 0.5, level3After: Double = 0.5, arbitrationAfter: TimeInterval = 48 * 3_600) {
        self.level2After = level2After
        self.level3After = level3After
        self.arbitrationAfter = arbitrationAfter
    }
}

/// Who an escalation is for.
public enum EscalationAudience: String, Sendable, Codable, CaseIterable {
    /// Level 1: the assigned partner's referent and technicians.
    case partner
    /// Level 2 (and arbitration waiting too long): the territory's coordinators.
    case coordinators
    /// Level 3: the territory's elected officials.
    case elected

    public static func of(level: Int) -> EscalationAudience {
        switch level {
        case 1: .partner
        case 2: .coordinators
        default: .elected
        }
    }
}

public enum EscalationReason: String, Sendable, Codable, CaseIterable {
    /// The due date passed (level 1), then the further delays (levels 2 and 3).
    case overdue
    /// Waiting for arbitration longer than the policy allows.
    case arbitration
}

/// One escalation: a level reached once per signalement and cycle.
public struct Escalation: Sendable, Equatable {
    public var id: String
    public var signalementId: String
    /// Grows when the signalement is reopened: the levels may happen again (arbitration escalates once per cycle).
    public var cycle: Int
    public var level: Int
    public var reason: EscalationReason
    public var audience: EscalationAudience
    public var partnerId: String?
    public var territoryId: String?
    public var dueAt: Int64?
    public var createdAt: Int64
    public var acknowledgedAt: Int64?
    public var acknowledgedBy: String?
}

/// A signalement's escalation schedule, as stored with it.
public struct EscalationState: Sendable, Equatable {
    /// The last level reached in this cycle (0: none yet).
    public var level: Int = 0
    public var cycle: Int = 0
    /// The time level 1 counts from in this cycle (the due date, or after a reopening the reopening plus
    /// the commitment's delay).
    public var dueAt: Int64?
    /// When the next level is due; nil when nothing more will escalate.
    public var nextAt: Int64?

    public init(level: Int = 0, cycle: Int = 0, dueAt: Int64? = nil, nextAt: Int64? = nil) {
        self.level = level
        self.cycle = cycle
        self.dueAt = dueAt
        self.nextAt = nextAt
    }
}

/// The rules of the escalation schedule: how a change of a signalement arms, re-arms or stops it, and
/// when each level comes. Pure: the worker and the commands share it.
public enum EscalationSchedule {
    public static let topLevel = 3

    /// The schedule of a signalement just filed.
    public static func initial(_ signalement: Signalement, policy: EscalationPolicy) -> EscalationState {
        arm(signalement, previous: nil, previousDueAt: nil, state: EscalationState(), now: signalement.createdAt, policy: policy)
    }

    /// The schedule after a change: stopped when resolved, closed, rejected or a duplicate; escalating to
    /// the coordinators after `arbitrationAfter` while waiting for arbitration, then resuming the overdue
    /// track where it was; a new cycle when it is reopened (counting the commitment's delay again from
    /// now); moved with the due date while no level has been reached.
    public static func arm(
        _ signalement: Signalement, previous: SignalementStatus?, previousDueAt: Int64?, state: EscalationState,
        now: Int64, policy: EscalationPolicy
    ) -> EscalationState {
        var next = state
        let status = signalement.status
        switch status {
        case .resolved, .closed, .rejected, .duplicate:
            next.nextAt = nil
        case .needsArbitration:
            // Waiting for arbitration has its own escalation (once per cycle); the overdue track keeps its
            // level and resumes where it was when a partner is assigned.
            if previous != .needsArbitration {
                next.nextAt = now + Int64(policy.arbitrationAfter * 1_000)
            }
        case .reopened:
            if previous != .reopened {
                next.cycle += 1
                next.level = 0
                next.dueAt = delay(signalement).map { now + $0 }
                next.nextAt = next.dueAt
            }
        case .submitted, .acknowledged, .assigned, .inProgress:
            if previous == nil {
                next.dueAt = signalement.dueAt
                next.nextAt = signalement.dueAt
            } else if previous == .needsArbitration {
                if next.level == 0 || next.dueAt == nil { next.dueAt = signalement.dueAt }
                next.nextAt = next.dueAt.flatMap { base in
                    nextLevelTime(after: next.level, dueAt: base, delay: delay(signalement) ?? 0, policy: policy)
                }
            } else if next.level == 0, next.dueAt == previousDueAt, signalement.dueAt != previousDueAt {
                // The due date moved (category corrected, reassignment) before any level: level 1 follows it.
                // A cycle counted from a reopening keeps its own start.
                next.dueAt = signalement.dueAt
                next.nextAt = signalement.dueAt
            }
        }
        return next
    }

    /// The commitment's delay: from filing to due date.
    static func delay(_ signalement: Signalement) -> Int64? {
        signalement.dueAt.map { max(0, $0 - signalement.createdAt) }
    }

    /// When the level after `level` comes, on the overdue track; nil after the top level.
    public static func nextLevelTime(after level: Int, dueAt: Int64, delay: Int64, policy: EscalationPolicy) -> Int64? {
        switch level {
        case 0: return dueAt
        case 1: return dueAt + Int64(Double(delay) * policy.level2After)
        case 2: return dueAt + Int64(Double(delay) * (policy.level2After + policy.level3After))
        default: return nil
        }
    }
}
