import Foundation

/// What the printable compte-rendu says, in French, ready for a template: the report's figures with
/// names and labels instead of ids and codes. Markdown and HTML render the same document.
struct WalkReportDocument {
    struct Line {
        var label: String
        var count: Int
    }

    struct ThemeLine {
        var label: String
        var positive: Int
        var negative: Int
    }

    struct Answer {
        var question: String
        var answer: String
    }

    struct Outcome {
        var kind: String
        var reference: String
        var status: String
        var partner: String?
        var due: String?
        var state: String
        var late: Bool
    }

    struct Entry {
        var positive: Bool
        var polarity: String
        var theme: String
        var text: String
        var proposal: String?
        var answers: [Answer]
        var photos: String?
        var outcome: Outcome?
    }

    struct Stop {
        var heading: String
        var entries: [Entry]
    }

    struct FollowUpLine {
        var what: String
        var outcome: Outcome
    }

    /// The printable pages' one style element.
    let style = PrintablePage.style
    var title: String
    var kind: String
    var territory: String
    var date: String
    var hours: String
    var timeOfDay: String
    var meetingPoint: String?
    var organiser: String
    var presentPartners: String?
    var grid: String
    var publication: String
    var asOf: String
    var summary: [String]
    var participants: Int
    var attendance: [Line]
    var observationCount: Int
    var positive: Int
    var negative: Int
    var themes: [ThemeLine]
    var stops: [Stop]
    var followUps: [FollowUpLine]
    /// Stored: templates see stored properties only.
    var hasFollowUps: Bool
    var signalements: String
    var engagements: String
    var withinCommitment: String

    init(_ report: WalkReport) {
        let labels = report.labels
        let walk = report.walk
        title = walk.title
        kind = Self.kinds[walk.kind] ?? walk.kind.rawValue
        territory = labels.territory
        date = FrenchDates.day(walk.startsAt)
        hours = "\(FrenchDates.time(walk.startsAt)) – \(FrenchDates.time(walk.endsAt))"
        timeOfDay = Self.timesOfDay[walk.timeOfDay] ?? walk.timeOfDay.rawValue
        meetingPoint = walk.meetingPoint
        organiser = labels.partner(walk.organiserPartnerId) ?? walk.organiserPartnerId
        let present = report.presentPartnerIds.compactMap(labels.partner).sorted()
        presentPartners = present.isEmpty ? nil : present.joined(separator: ", ")
        grid = labels.grid
        if let version = report.version, let at = report.publishedAt {
            publication = "Version \(version), publiée le \(FrenchDates.day(at))"
        } else {
            publication = "Document de travail, non publié" + (report.latestVersion.map { " (dernière version publiée : \($0))" } ?? "")
        }
        asOf = FrenchDates.day(ofText: report.asOf)
        summary = (report.summary ?? "").components(separatedBy: "\n\n").map { $0.trimmingWhitespace }.filter { !$0.isEmpty }
        participants = report.participantCount
        attendance = AttendeeRole.allCases.compactMap { role in
            let counts = report.attendance.filter { $0.role == role }
            guard !counts.isEmpty else { return nil }
            let total = counts.reduce(0) { $0 + $1.count }
            let bands = counts.compactMap { count in count.ageBand.map { "\(count.count) \(Self.ageBands[$0] ?? $0.rawValue)" } }
            let detail = bands.isEmpty ? "" : " (\(bands.joined(separator: ", ")))"
            return Line(label: (Self.roles[role] ?? role.rawValue) + detail, count: total)
        }
        observationCount = report.observations.count
        positive = report.positiveCount
        negative = report.negativeCount
        func themeLabel(_ observation: Observation) -> String {
            observation.categoryId.flatMap { labels.categories[$0] } ?? Self.themeLabel(observation.theme)
        }
        themes = report.themes.map { ThemeLine(label: Self.themeLabel($0.theme, labels), positive: $0.positive, negative: $0.negative) }
        let followUps = Dictionary(report.followUps.map { ($0.observationId, $0) }, uniquingKeysWith: { first, _ in first })
        func outcome(_ followUp: FollowUp) -> Outcome {
            let state: String =
                switch followUp.withinCommitment {
                case true?: followUp.finished ? "tenu dans le délai" : "dans le délai"
                case false?: followUp.finished ? "tenu hors délai" : "en retard"
                case nil: "sans échéance"
                }
            return Outcome(
                kind: followUp.target == .signalement ? "Signalement" : "Engagement", reference: followUp.id,
                status: Self.status(followUp), partner: labels.partner(followUp.partnerId), due: followUp.dueAt.map { FrenchDates.day($0) },
                state: state, late: followUp.withinCommitment == false)
        }
        func entry(_ observation: Observation) -> Entry {
            let photoCount = observation.photos.count
            return Entry(
                positive: observation.polarity == .positive,
                polarity: observation.polarity == .positive ? "Point fort" : "Dysfonctionnement", theme: themeLabel(observation),
                text: observation.text, proposal: observation.proposal,
                answers: observation.answers.sorted { $0.key < $1.key }.map {
                    Answer(question: labels.gridItems[$0.key] ?? $0.key, answer: Self.answer($0.value))
                },
                photos: photoCount == 0 ? nil : photoCount == 1 ? "1 photo" : "\(photoCount) photos",
                outcome: followUps[observation.id].map(outcome))
        }
        var stops: [Stop] = walk.stops.enumerated().compactMap { index, stop in
            let entries = report.observations.filter { $0.stop == index }.map(entry)
            return entries.isEmpty ? nil : Stop(heading: "Arrêt \(index + 1) : \(stop.label)", entries: entries)
        }
        let elsewhere = report.observations.filter { $0.stop == nil || !walk.stops.indices.contains($0.stop!) }.map(entry)
        if !elsewhere.isEmpty { stops.append(Stop(heading: "En chemin", entries: elsewhere)) }
        self.stops = stops
        let texts = Dictionary(report.observations.map { ($0.id, $0.text) }, uniquingKeysWith: { first, _ in first })
        self.followUps = report.followUps.map { FollowUpLine(what: Self.excerpt(texts[$0.observationId] ?? ""), outcome: outcome($0)) }
        hasFollowUps = !report.followUps.isEmpty
        let converted = report.followUps.filter { $0.target == .signalement }
        let promised = report.followUps.filter { $0.target == .engagement }
        signalements = "\(converted.filter(\.finished).count) sur \(converted.count) résolus"
        engagements = "\(promised.filter(\.finished).count) sur \(promised.count) réalisés"
        withinCommitment = "\(report.followUps.filter { $0.withinCommitment == true }.count) sur \(report.followUps.count)"
    }

    // MARK: French words

    static let kinds: [WalkKind: String] = [.diagnostic: "Diagnostic en marchant", .exploratory: "Marche exploratoire"]
    static let timesOfDay: [WalkTimeOfDay: String] = [.day: "de jour", .evening: "en soirée", .night: "de nuit"]
    static let roles: [AttendeeRole: String] = [
        .resident: "Habitants", .association: "Associations", .bailleur: "Bailleurs", .ville: "Ville", .epci: "Intercommunalité",
        .etat: "État", .elected: "Élus", .other: "Autres",
    ]
    static let ageBands: [AgeBand: String] = [.child: "enfants", .youth: "jeunes", .adult: "adultes", .senior: "seniors"]
    static let themeLabels: [String: String] = [
        "cleanliness": "Propreté", "lighting": "Éclairage", "signage": "Signalétique", "visibility": "Visibilité",
        "upkeep": "Entretien", "play_areas": "Aires de jeux", "parking": "Stationnement", "accessibility": "Accessibilité",
        "feeling_of_safety": "Sentiment de sécurité", "conviviality": "Convivialité",
    ]
    static let signalementStatuses: [String: String] = [
        "submitted": "déposé", "acknowledged": "pris en compte", "assigned": "confié", "in_progress": "en cours", "resolved": "résolu",
        "closed": "clos", "rejected": "rejeté", "duplicate": "doublon", "reopened": "rouvert", "needs_arbitration": "en arbitrage",
    ]
    static let engagementStatuses: [String: String] = [
        "planned": "prévu", "in_progress": "en cours", "done": "réalisé", "dropped": "abandonné",
    ]

    static func themeLabel(_ theme: String, _ labels: WalkReportLabels? = nil) -> String {
        if let label = themeLabels[theme] { return label }
        // A category's code: its label when an observation of the report names it.
        if let label = labels?.categoryCodes[theme] { return label }
        return theme
    }

    static func status(_ followUp: FollowUp) -> String {
        (followUp.target == .signalement ? signalementStatuses : engagementStatuses)[followUp.status] ?? followUp.status
    }

    static func answer(_ value: String) -> String {
        switch value {
        case "yes": "oui"
        case "no": "non"
        case "1", "2", "3", "4": "\(value)/4"
        default: value
        }
    }

    static func excerpt(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= 80 ? flat : String(flat.prefix(79)) + "…"
    }
}
