/// What a message to a resident is about.
public enum NotificationKind: String, Sendable, CaseIterable {
    /// The signalement was acknowledged: its reference and due date.
    case acknowledged
    /// It was given to a partner.
    case assigned
    /// Staff wrote a public comment.
    case commented
    case resolved
    /// Rejected, with its reason.
    case rejected
    /// Merged into another signalement, with its reason.
    case merged
    /// "Est-ce réglé ?", some days after resolution.
    case feedbackRequest = "feedback_request"
    /// New signalements in an area the recipient follows, once a day.
    case alertDigest = "alert_digest"
}

/// Where a message stands.
public enum NotificationStatus: String, Sendable, CaseIterable {
    case pending, sent
    /// The relay refused the address for good: no further mail goes to it.
    case bounced
    /// The address unsubscribed or bounced after the message was queued.
    case suppressed
    /// Retries stopped (the relay kept failing for days).
    case failed
}
