/// How a grid item is answered.
public enum GridAnswerType: String, Sendable, CaseIterable {
    /// `yes` or `no`.
    case yesNo = "yes_no"
    /// `1` (bad) to `4` (good).
    case scale4 = "scale_4"
    /// Free text, at most 500 characters.
    case text

    /// Whether `answer` is one this item accepts.
    public func accepts(_ answer: String) -> Bool {
        switch self {
        case .yesNo: answer == "yes" || answer == "no"
        case .scale4: ["1", "2", "3", "4"].contains(answer)
        case .text: !answer.trimmingWhitespace.isEmpty && answer.unicodeScalars.count <= 500
        }
    }
}

public struct GridItem: Sendable, Equatable {
    public var code: String
    public var label: String
    public var theme: String
    public var answerType: GridAnswerType

    public init(code: String, label: String, theme: String, answerType: GridAnswerType) {
        self.code = code
        self.label = label
        self.theme = theme
        self.answerType = answerType
    }
}

/// The questions a walk's participants answer at each stop (two are seeded: `diagnostic` and
/// `marche_exploratoire`).
public struct ObservationGrid: Sendable, Equatable {
    public var id: String
    public var code: String
    public var label: String
    public var items: [GridItem]
    public var createdAt: Int64

    /// The themes an observation may name (besides a category).
    public var themes: Set<String> { Set(items.map(\.theme)) }
}
