import Foundation

public enum InterventionStatus: String, Sendable, Codable, CaseIterable {
    case planned
    case inProgress = "in_progress"
    case done
    case cancelled

    /// The state its linked signalements move to (`in_progress` when it starts, `resolved` when done).
    var signalementTarget: SignalementStatus? {
        switch self {
        case .inProgress: return .inProgress
        case .done: return .resolved
        case .planned, .cancelled: return nil
        }
    }
}

/// Amounts of an intervention, in euro cents (whole numbers: no rounding drift).
public struct InterventionAmounts: Sendable, Equatable {
    public var plannedCents: Int64?
    public var realisedCents: Int64?
    public var atfpbShareCents: Int64?
    public var otherFundingCents: Int64?

    public init(plannedCents: Int64? = nil, realisedCents: Int64? = nil, atfpbShareCents: Int64? = nil, otherFundingCents: Int64? = nil) {
        self.plannedCents = plannedCents
        self.realisedCents = realisedCents
        self.atfpbShareCents = atfpbShareCents
        self.otherFundingCents = otherFundingCents
    }
}

/// What a partner system says about one of its interventions (the body of the upsert).
public struct InterventionReport: Sendable, Equatable {
    public var kind: String
    public var status: InterventionStatus
    public var scheduledAt: Int64?
    public var doneAt: Int64?
    public var territoryId: String?
    public var location: Position?
    public var description: String?
    public var signalementIds: [String]
    public var atfpbAxis: Int?
    public var amounts: InterventionAmounts

    public init(
        kind: String, status: InterventionStatus, scheduledAt: Int64? = nil, doneAt: Int64? = nil, territoryId: String? = nil,
        location: Position? = nil, description: String? = nil, signalementIds: [String] = [], atfpbAxis: Int? = nil,
        amounts: InterventionAmounts = InterventionAmounts()
    ) {
        self.kind = kind
        self.status = status
        self.scheduledAt = scheduledAt
        self.doneAt = doneAt
        self.territoryId = territoryId
        self.location = location
        self.description = description
        self.signalementIds = signalementIds
        self.atfpbAxis = atfpbAxis
        self.amounts = amounts
    }

    /// One line per field, in a fixed order: equal reports (once normalized) give equal texts, whose
    /// hash is stored to recognise a repeated body.
    public var canonicalText: String {
        func text<T>(_ value: T?) -> String { value.map { "=\($0)" } ?? "-" }
        let fields: [String] = [
            kind, status.rawValue, text(scheduledAt), text(doneAt), text(territoryId),
            location.map { "=\($0.lat),\($0.long)" } ?? "-", text(description), signalementIds.joined(separator: ","), text(atfpbAxis),
            text(amounts.plannedCents), text(amounts.realisedCents), text(amounts.atfpbShareCents), text(amounts.otherFundingCents),
        ]
        return fields.map { $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n") }
            .joined(separator: "\n")
    }

    /// The same report however the client ordered or repeated its linked signalements: what "the same
    /// body" means for an idempotent upsert.
    public var normalized: InterventionReport {
        var copy = self
        copy.kind = kind.trimmingWhitespace
        copy.description = description?.trimmingWhitespace
        copy.signalementIds = Array(Set(signalementIds)).sorted()
        return copy
    }

    /// Checks the fields that need no database; `prefix` names a batch item (`items[3].`).
    public func check(prefix: String = "", into check: inout Validator) {
        check.text(kind, prefix + "kind", maxLength: 64)
        if let description { check.text(description, prefix + "description", required: false, maxLength: 4_000) }
        if status == .done, doneAt == nil { check.fail(prefix + "done_at", "is required when status is done") }
        if let axis = atfpbAxis, !AtfpbAxis.numbers.contains(axis) { check.fail(prefix + "atfpb_axis", "must be from 1 to 8") }
        if let location, !(-90...90).contains(location.lat) || !(-180...180).contains(location.long) {
            check.fail(prefix + "location", "must be lat in [-90, 90] and long in [-180, 180]")
        }
        if signalementIds.count > 100 { check.fail(prefix + "signalement_ids", "must name at most 100 signalements") }
        let amounts: [(String, Int64?)] = [
            ("planned_cents", self.amounts.plannedCents), ("realised_cents", self.amounts.realisedCents),
            ("atfpb_share_cents", self.amounts.atfpbShareCents),
            ("other_funding_cents", self.amounts.otherFundingCents),
        ]
        for (name, value) in amounts {
            if let value { ConventionRules.cents(value, prefix + "amounts." + name, &check) }
        }
    }

    public static func isExternalId(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 128 && text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && $0 != "/" }
    }
}

/// An intervention as stored: the partner's report, its ids and its bookkeeping.
public struct Intervention: Sendable, Equatable {
    public var id: String
    public var partnerId: String
    public var externalId: String
    public var report: InterventionReport
    public var version: Int
    public var createdAt: Int64
    public var updatedAt: Int64
}

/// What an upsert did.
public enum InterventionOutcome: String, Sendable, CaseIterable {
    case created, updated, unchanged
}
