/// A resident's answer to "est-ce réglé ?" (the words of the links: `oui`, `non`, `en_partie`).
public enum FeedbackAnswer: String, Sendable, CaseIterable {
    case fixed = "oui"
    case notFixed = "non"
    case partly = "en_partie"

    var label: String {
        switch self {
        case .fixed: "Oui, c'est réglé"
        case .notFixed: "Non, ce n'est pas réglé"
        case .partly: "En partie"
        }
    }
}

/// Where one questionnaire stands.
public enum FeedbackStatus: String, Sendable, CaseIterable {
    /// Sent, not answered.
    case pending
    /// Answered by opening a link: takes effect after an hour unless changed or confirmed.
    case provisional
    /// The answer took effect; the links are spent.
    case settled
}

/// What an answer did.
public enum FeedbackOutcome: String, Sendable, CaseIterable {
    /// "Oui": recorded.
    case confirmed
    /// "Non" within the reopening window: the signalement was reopened.
    case reopened
    /// "Non" too late to reopen (or no longer resolved): recorded, counted in the indicators.
    case notReopened = "not_reopened"
    /// "En partie": passed to the partner as a public comment.
    case commented
}

/// A questionnaire as its page shows it: public facts only.
public struct FeedbackQuestion: Sendable, Equatable {
    public var reference: String
    public var category: String
    public var quartier: String?
    public var status: FeedbackStatus
    public var answer: FeedbackAnswer?
    public var comment: String?
    /// When a provisional answer takes effect.
    public var effectiveAt: Int64?
    public var outcome: FeedbackOutcome?
}
