import Mustache

/// Markdown escapes the characters that would turn a participant's words into markup, and keeps
/// each value on its line (a line break inside a list item or a table cell would end it).
struct MarkdownContentType: MustacheContentType {
    func escapeText(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "#", "|", "{", "}", "!", "~": escaped += "\\\(character)"
            case "\r\n", "\n", "\r": escaped += " "
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

/// The compte-rendu as Markdown: what a coordinator pastes into a mail or a wiki.
extension WalkReport {
    public var markdown: String { WalkReportTemplates.markdown.render(WalkReportDocument(self)) }
}

enum WalkReportTemplates {
    static let markdown: MustacheTemplate = {
        MustacheContentTypes.register(MarkdownContentType(), named: "MARKDOWN")
        return try! MustacheTemplate(string: markdownSource)
    }()

    static let html: MustacheTemplate = try! MustacheTemplate(string: htmlSource)

    static let markdownSource = #"""
        {{% CONTENT_TYPE: MARKDOWN }}
        # Compte-rendu : {{title}}

        {{kind}} {{timeOfDay}}, {{territory}}, le {{date}} ({{hours}}).
        {{#meetingPoint}}
        Point de rendez-vous : {{.}}.
        {{/meetingPoint}}
        Organisé par {{organiser}}.{{#presentPartners}} Partenaires présents : {{.}}.{{/presentPartners}}
        Grille d'observation : {{grid}}.

        *{{publication}}. Suivi des suites au {{asOf}}.*

        ## Synthèse

        {{#summary}}
        {{.}}

        {{/summary}}
        {{^summary}}
        Aucune synthèse n'a été rédigée.

        {{/summary}}
        ## Participants

        {{participants}} participants.

        | Participants | Nombre |
        | --- | ---: |
        {{#attendance}}
        | {{label}} | {{count}} |
        {{/attendance}}

        ## Observations

        {{observationCount}} observations : {{positive}} points forts, {{negative}} dysfonctionnements.

        | Thème | Points forts | Dysfonctionnements |
        | --- | ---: | ---: |
        {{#themes}}
        | {{label}} | {{positive}} | {{negative}} |
        {{/themes}}

        {{#stops}}
        ### {{heading}}

        {{#entries}}
        - **{{polarity}}** ({{theme}}) : {{text}}{{#proposal}} *Proposition :* {{.}}{{/proposal}}{{#answers}} {{question}} {{answer}}.{{/answers}}{{#photos}} ({{.}}){{/photos}}
        {{#outcome}}
          → {{kind}} {{reference}} : {{status}}{{#partner}}, {{.}}{{/partner}}{{#due}}, échéance le {{.}}{{/due}} ({{state}})
        {{/outcome}}
        {{/entries}}

        {{/stops}}
        ## Suites données

        Signalements : {{signalements}}. Engagements : {{engagements}}. Dans le délai promis : {{withinCommitment}}.

        {{#hasFollowUps}}
        | Observation | Suite | Statut | Qui | Échéance | Délai |
        | --- | --- | --- | --- | --- | --- |
        {{/hasFollowUps}}
        {{#followUps}}
        | {{what}} | {{outcome.kind}} {{outcome.reference}} | {{outcome.status}} | {{outcome.partner}} | {{outcome.due}} | {{outcome.state}} |
        {{/followUps}}
        {{^followUps}}
        Aucune observation n'a encore été transformée en signalement ou en engagement.
        {{/followUps}}
        """#
}
