import Foundation

/// When an engagement escalates: level 1 (its lead partner) at the end of its due day, level 2 (the
/// territory's coordinators) the policy's `level2After` fraction of its delay later (the delay counted
/// from its creation to that moment, at least one day). Each level once per schedule; a new due date
/// after a level was reached starts a new schedule (a renegotiated promise); done or dropped stops it.
public enum EngagementSchedule {
    public static let topLevel = 2
    static let minimumLevel2Delay: Int64 = 86_400_000

    /// The time the level after `level` comes, or nil after the top level.
    public static func nextLevelTime(after level: Int, dueAt: Int64, createdAt: Int64, policy: EscalationPolicy) -> Int64? {
        switch level {
        case 0: return dueAt
        case 1: return dueAt + max(minimumLevel2Delay, Int64(Double(max(0, dueAt - createdAt)) * policy.level2After))
        default: return nil
        }
    }
}
