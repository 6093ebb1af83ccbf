import Foundation

/// Where an engagement was made.
public enum EngagementSource: String, Sendable, CaseIterable {
    /// At a diagnostic en marchant or a marche exploratoire (an observation converted).
    case walk
    /// At a cellule de veille, comité technique or COPIL (a decision).
    case meeting
    /// In a bilan or an evaluation (a recommendation taken up).
    case evaluation
    /// Written by a coordinator outside those.
    case other
}

/// Where an engagement stands. `done` and `dropped` end it; a done engagement may be reopened
/// (`in_progress`) when the promise turns out not to be kept; a dropped one stays dropped.
public enum EngagementStatus: String, Sendable, CaseIterable {
    case planned
    case inProgress = "in_progress"
    case done
    case dropped

    public var isOpen: Bool { self == .planned || self == .inProgress }

    /// The statuses an engagement may move to from this one.
    public var next: Set<EngagementStatus> {
        switch self {
        case .planned: [.inProgress, .done, .dropped]
        case .inProgress: [.done, .dropped]
        case .done: [.inProgress]
        case .dropped: []
        }
    }
}

/// A dated note on an engagement's progress.
public struct EngagementUpdate: Sendable, Equatable {
    public var id: String
    /// The day it reports on (`YYYY-MM-DD`).
    public var day: String
    public var note: String
    public var createdAt: Int64
}

/// An owned, dated promise that is not a signalement ("éclairer le passage entre le 12 et le 14"):
/// a lead partner answers for it by its due date, other partners take part, and it escalates like a
/// signalement once its due date has passed (level 1 the lead partner, level 2 the coordinators).
public struct Engagement: Sendable, Equatable {
    public var id: String
    public var source: EngagementSource
    /// The walk, meeting or evaluation it comes from.
    public var sourceId: String?
    public var title: String
    public var description: String?
    public var territoryId: String
    public var leadPartnerId: String
    /// The other partners taking part (the lead partner not among them).
    public var partnerIds: [String]
    /// The last day of the promise (`YYYY-MM-DD`, Paris).
    public var dueDate: String
    public var status: EngagementStatus
    /// Why it was dropped (required then), or what the last status change said.
    public var statusNote: String?
    public var signalementIds: [String]
    public var conventionId: String?
    public var actionSheetId: String?
    /// Shown to residents (with its updates) when true.
    public var isPublic: Bool
    /// The last escalation level reached in the current schedule (0: none).
    public var escalationLevel: Int
    public var updates: [EngagementUpdate]
    public var doneAt: Int64?
    public var version: Int
    public var createdAt: Int64
    public var updatedAt: Int64

    /// Whether it is still open after the end of its due day.
    public func isOverdue(at now: Int64) -> Bool {
        status.isOpen && now >= Engagement.dueAt(dueDate)
    }

    /// Whether it was done by the end of its due day.
    public var doneOnTime: Bool? {
        guard status == .done, let doneAt else { return nil }
        return doneAt < Engagement.dueAt(dueDate)
    }

    /// The moment the promise is late: midnight (Paris) after its due day.
    public static func dueAt(_ dueDate: String) -> Int64 {
        ParisPeriods.end(of: dueDate) ?? 0
    }

    /// What a reader sees: residents not the convention and fiche-action it is tied to (they read
    /// conventions' public summaries, not their fiches-actions).
    func redacted(for actor: Actor) -> Engagement {
        guard actor.role == .resident else { return self }
        var copy = self
        copy.conventionId = nil
        copy.actionSheetId = nil
        return copy
    }

    var scope: ResourceScope {
        ResourceScope(partnerIds: Set(partnerIds).union([leadPartnerId]), territoryIds: [territoryId])
    }

    /// Who answers for its status: the lead partner (and the territory's coordination).
    var reportScope: ResourceScope {
        ResourceScope(partnerIds: [leadPartnerId], territoryIds: [territoryId])
    }
}
