/// What one message says, before it is laid out (`MailLayout`) as text and HTML: French, built from
/// public facts only (reference, category, quartier, status, dates, partner names, public comments).
struct MailContent: Sendable {
    struct Fact: Sendable {
        var label: String
        var value: String
    }

    struct Action: Sendable {
        var label: String
        var url: String
    }

    var subject: String
    var title: String
    var paragraphs: [String]
    var facts: [Fact] = []
    /// A quoted text (a public comment, a reason), shown apart.
    var quote: String?
    var actions: [Action] = []
    /// Why the recipient gets it, shown above the unsubscribe link.
    var reason: String
}
