import Mustache

/// What the printable minutes say, in French: the meeting, the text, and the agenda with each item's
/// decisions. Markdown and HTML render the same document.
struct MeetingMinutesDocument {
    struct Decision {
        var kind: String
        var note: String?
        var partner: String?
        var engagement: String?
    }

    struct Item {
        var number: Int
        var title: String
        var detail: String?
        var confidential: Bool
        var decisions: [Decision]
    }

    let style = PrintablePage.style
    var title: String
    var kind: String
    var territories: String
    var date: String
    var chair: String
    var present: String?
    var status: String
    var visibility: String
    var paragraphs: [String]
    var items: [Item]
    var hasItems: Bool
    var decisionCount: Int

    init(_ minutes: MeetingMinutes) {
        let meeting = minutes.meeting
        func partner(_ id: String?) -> String? { id.map { minutes.partnerNames[$0] ?? $0 } }
        title = meeting.title
        kind = Self.kinds[meeting.kind] ?? meeting.kind.rawValue
        territories = meeting.territoryIds.map { minutes.territoryNames[$0] ?? $0 }.sorted().joined(separator: ", ")
        date = "\(FrenchDates.day(meeting.startsAt)), \(FrenchDates.time(meeting.startsAt))"
        chair = partner(meeting.chairPartnerId) ?? meeting.chairPartnerId
        let presentNames = meeting.presentPartnerIds.compactMap(partner).sorted()
        present = presentNames.isEmpty ? nil : presentNames.joined(separator: ", ")
        status = minutes.approvedAt.map { "Compte-rendu approuvé le \(FrenchDates.day($0))" } ?? "Compte-rendu non encore approuvé"
        visibility = Self.visibilities[minutes.visibility] ?? minutes.visibility.rawValue
        paragraphs = (minutes.text ?? "").components(separatedBy: "\n\n").map { $0.trimmingWhitespace }.filter { !$0.isEmpty }
        let byItem = Dictionary(grouping: minutes.decisions, by: \.itemId)
        items = minutes.items.enumerated().map { index, item in
            Item(
                number: index + 1, title: item.title, detail: item.detail, confidential: item.isConfidential,
                decisions: (byItem[item.id] ?? []).map { decision in
                    Decision(
                        kind: Self.decisionKinds[decision.kind] ?? decision.kind.rawValue, note: decision.note, partner: partner(decision.partnerId),
                        engagement: decision.engagementId)
                })
        }
        hasItems = !items.isEmpty
        decisionCount = minutes.decisions.count
    }

    static let kinds: [MeetingKind: String] = [
        .celluleDeVeille: "Cellule de veille", .comiteTechnique: "Comité technique", .copilTechnique: "Comité de pilotage technique",
        .copilSocial: "Comité de pilotage social", .interBailleurs: "Réunion inter-bailleurs", .other: "Réunion",
    ]
    static let visibilities: [MinutesVisibility: String] = [
        .internal: "diffusion interne (coordination et élus)", .signatories: "diffusion aux partenaires et signataires",
        .public: "diffusion publique",
    ]
    static let decisionKinds: [DecisionKind: String] = [
        .assign: "Confié à", .acknowledge: "Escalade prise en compte", .engagement: "Engagement pris", .noAction: "Vu, sans suite",
    ]
}

/// The minutes as Markdown and as one printable, self-contained HTML page.
extension MeetingMinutes {
    public var markdown: String { MeetingMinutesTemplates.markdown.render(MeetingMinutesDocument(self)) }
    public var html: String { MeetingMinutesTemplates.html.render(MeetingMinutesDocument(self)) }
}

enum MeetingMinutesTemplates {
    static let markdown: MustacheTemplate = {
        _ = WalkReportTemplates.markdown  // registers the MARKDOWN content type
        return try! MustacheTemplate(string: markdownSource)
    }()

    static let html: MustacheTemplate = try! MustacheTemplate(string: htmlSource)

    static let markdownSource = #"""
        {{% CONTENT_TYPE: MARKDOWN }}
        # {{kind}} : {{title}}

        {{territories}}, le {{date}}. Présidée par {{chair}}.{{#present}} Partenaires présents : {{.}}.{{/present}}

        *{{status}} ; {{visibility}}.*

        ## Compte-rendu

        {{#paragraphs}}
        {{.}}

        {{/paragraphs}}
        {{^paragraphs}}
        Aucun texte n'a été rédigé.

        {{/paragraphs}}
        ## Ordre du jour et décisions ({{decisionCount}})

        {{#items}}
        {{number}}. **{{title}}**{{#detail}} {{.}}{{/detail}}
        {{#decisions}}
           - {{kind}}{{#partner}} {{.}}{{/partner}}{{#engagement}} (engagement {{.}}){{/engagement}}{{#note}} : {{.}}{{/note}}
        {{/decisions}}
        {{/items}}
        {{^items}}
        Aucun point à l'ordre du jour.
        {{/items}}
        """#

    static let htmlSource = #"""
        {{% CONTENT_TYPE: HTML }}
        <!DOCTYPE html>
        <html lang="fr">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{kind}} : {{title}}</title>
        <style>{{{style}}}</style>
        </head>
        <body>
        <header>
        <p class="kicker">{{kind}}</p>
        <h1>{{title}}</h1>
        <p class="meta">{{territories}}, le {{date}}</p>
        <p class="meta">Présidée par {{chair}}{{#present}} ; partenaires présents : {{.}}{{/present}}</p>
        <p class="status">{{status}} · {{visibility}}</p>
        </header>
        <section>
        <h2>Compte-rendu</h2>
        {{#paragraphs}}
        <p>{{.}}</p>
        {{/paragraphs}}
        {{^paragraphs}}
        <p class="small">Aucun texte n'a été rédigé.</p>
        {{/paragraphs}}
        </section>
        <section>
        <h2>Ordre du jour et décisions (<span id="decisions">{{decisionCount}}</span>)</h2>
        {{#hasItems}}
        <ol class="observations">
        {{/hasItems}}
        {{#items}}
        <li><strong>{{number}}. {{title}}</strong>{{#confidential}} <span class="small">(confidentiel)</span>{{/confidential}}
        {{#detail}}
        <br><span class="small">{{.}}</span>
        {{/detail}}
        {{#decisions}}
        <div class="outcome">→ {{kind}}{{#partner}} {{.}}{{/partner}}{{#engagement}} (engagement <code>{{.}}</code>){{/engagement}}{{#note}} : {{.}}{{/note}}</div>
        {{/decisions}}
        </li>
        {{/items}}
        {{#hasItems}}
        </ol>
        {{/hasItems}}
        {{^hasItems}}
        <p class="small">Aucun point à l'ordre du jour.</p>
        {{/hasItems}}
        </section>
        <footer>Compte-rendu produit par gusp à partir de l'ordre du jour et des décisions enregistrés.</footer>
        </body>
        </html>
        """#
}
