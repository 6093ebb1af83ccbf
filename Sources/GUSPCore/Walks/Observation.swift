/// What participants saw: a strong point or a dysfunction.
public enum ObservationPolarity: String, Sendable, CaseIterable {
    case positive, negative
}

/// What an observation became.
public enum ConversionTarget: String, Sendable, CaseIterable {
    case signalement, engagement
}

/// One observation of a walk, at a stop or a point.
public struct Observation: Sendable, Equatable {
    public var id: String
    public var walkId: String
    /// The tablet's own id for it: a batch sent again creates nothing twice.
    public var clientId: String
    /// The stop's position in the walk's list (0-based).
    public var stop: Int?
    public var location: Position?
    public var polarity: ObservationPolarity
    /// A grid theme, or the category's code when `categoryId` is set.
    public var theme: String
    public var categoryId: String?
    public var text: String
    /// What participants propose.
    public var proposal: String?
    /// Grid item code → answer.
    public var answers: [String: String]
    public var convertedTo: ConversionTarget?
    public var convertedId: String?
    public var createdAt: Int64
    /// Oldest first; for residents, the published ones only.
    public var photos: [WalkPhoto] = []

    /// What a reader sees: participants write what they see, names and numbers included, and
    /// residents read the texts and answers with contacts masked and only the photos a coordinator published.
    func redacted(for actor: Actor) -> Observation {
        guard actor.role == .resident else { return self }
        var copy = self
        copy.text = ContactMask.masked(text)
        copy.proposal = proposal.map(ContactMask.masked)
        // A grid's free-text answers are participants' words too.
        copy.answers = answers.mapValues(ContactMask.masked)
        copy.photos = photos.filter(\.isPublished)
        return copy
    }
}

/// An observation as a tablet sends it.
public struct NewObservation: Sendable {
    public var clientId: String
    public var stop: Int?
    public var location: Position?
    public var polarity: ObservationPolarity
    public var theme: String?
    public var categoryId: String?
    public var text: String
    public var proposal: String?
    public var answers: [String: String]

    public init(
        clientId: String, stop: Int? = nil, location: Position? = nil, polarity: ObservationPolarity, theme: String? = nil,
        categoryId: String? = nil, text: String, proposal: String? = nil, answers: [String: String] = [:]
    ) {
        self.clientId = clientId
        self.stop = stop
        self.location = location
        self.polarity = polarity
        self.theme = theme
        self.categoryId = categoryId
        self.text = text
        self.proposal = proposal
        self.answers = answers
    }
}
