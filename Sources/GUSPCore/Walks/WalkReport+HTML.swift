import Crypto
import Foundation

/// The compte-rendu as one printable HTML page, in French, self-contained (its style inline, no
/// script, no font, image or stylesheet fetched): what goes back to every participant.
extension WalkReport {
    public var html: String { WalkReportTemplates.html.render(WalkReportDocument(self)) }

    /// `sha256-…` of the page's one `<style>` element (static text of the template), for a
    /// Content-Security-Policy that allows that style and nothing else.
    public static let styleSourceHash: String = {
        let source = WalkReportTemplates.htmlSource
        let start = source.range(of: "<style>")!.upperBound
        let end = source.range(of: "</style>")!.lowerBound
        return "sha256-" + Data(SHA256.hash(data: Data(source[start..<end].utf8))).base64EncodedString()
    }()
}

extension WalkReportTemplates {
    static let htmlSource = #"""
        {{% CONTENT_TYPE: HTML }}
        <!DOCTYPE html>
        <html lang="fr">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Compte-rendu : {{title}}</title>
        <style>
        :root { --ink: #1d232b; --muted: #5a6470; --line: #d5dae0; --good: #1f6f43; --bad: #a4262c; --accent: #23507a; }
        * { box-sizing: border-box; }
        body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 56rem;
          padding: 2rem 1.5rem; line-height: 1.45; font-size: 15px; }
        header { border-bottom: 3px solid var(--accent); padding-bottom: 1rem; margin-bottom: 1.5rem; }
        .kicker { color: var(--accent); font-weight: bold; text-transform: uppercase; letter-spacing: .05em; font-size: .8rem; margin: 0; }
        h1 { font-size: 1.7rem; margin: .3rem 0 .5rem; }
        h2 { font-size: 1.2rem; color: var(--accent); border-bottom: 1px solid var(--line); padding-bottom: .2rem; margin-top: 2rem; }
        h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
        .meta { color: var(--muted); margin: .15rem 0; }
        .status { display: inline-block; margin-top: .6rem; padding: .2rem .6rem; border-radius: 3px; background: #eef3f8; font-size: .85rem; }
        .figures { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; padding: 0; list-style: none; }
        .figures li { flex: 1 1 9rem; border: 1px solid var(--line); border-radius: 4px; padding: .6rem .8rem; }
        .figures strong { display: block; font-size: 1.5rem; }
        .figures span { color: var(--muted); font-size: .85rem; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
        th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
        th { background: #f4f6f8; }
        td.number, th.number { text-align: right; }
        ul.observations { list-style: none; padding: 0; margin: 0; }
        ul.observations li { border-left: 4px solid var(--line); padding: .35rem .7rem; margin: .5rem 0; break-inside: avoid; }
        li.positive { border-left-color: var(--good) !important; }
        li.negative { border-left-color: var(--bad) !important; }
        .polarity { font-weight: bold; }
        li.positive .polarity { color: var(--good); }
        li.negative .polarity { color: var(--bad); }
        .theme, .small { color: var(--muted); font-size: .85rem; }
        .outcome { margin-top: .25rem; font-size: .9rem; }
        .late { color: var(--bad); font-weight: bold; }
        footer { margin-top: 2.5rem; color: var(--muted); font-size: .8rem; border-top: 1px solid var(--line); padding-top: .6rem; }
        @media print { body { padding: 0; font-size: 11pt; } h2 { break-after: avoid; } .figures li { border-color: #999; } }
        </style>
        </head>
        <body>
        <header>
        <p class="kicker">{{kind}} {{timeOfDay}}</p>
        <h1>{{title}}</h1>
        <p class="meta">{{territory}}, le {{date}}, {{hours}}</p>
        {{#meetingPoint}}
        <p class="meta">Point de rendez-vous : {{.}}</p>
        {{/meetingPoint}}
        <p class="meta">Organisé par {{organiser}}{{#presentPartners}} ; partenaires présents : {{.}}{{/presentPartners}}</p>
        <p class="status">{{publication}} · suivi des suites au {{asOf}}</p>
        </header>

        <ul class="figures" aria-label="Chiffres clés">
        <li><strong id="participants">{{participants}}</strong><span>participants</span></li>
        <li><strong id="observations">{{observationCount}}</strong><span>observations ({{positive}} points forts, {{negative}} dysfonctionnements)</span></li>
        <li><strong id="signalements">{{signalements}}</strong><span>signalements transmis</span></li>
        <li><strong id="engagements">{{engagements}}</strong><span>engagements pris</span></li>
        </ul>

        <section>
        <h2>Synthèse</h2>
        {{#summary}}
        <p>{{.}}</p>
        {{/summary}}
        {{^summary}}
        <p class="small">Aucune synthèse n'a été rédigée.</p>
        {{/summary}}
        </section>

        <section>
        <h2>Participants</h2>
        <table>
        <thead><tr><th>Participants</th><th class="number">Nombre</th></tr></thead>
        <tbody>
        {{#attendance}}
        <tr><td>{{label}}</td><td class="number">{{count}}</td></tr>
        {{/attendance}}
        <tr><th>Total</th><th class="number">{{participants}}</th></tr>
        </tbody>
        </table>
        <p class="small">Grille d'observation : {{grid}}. Les participants sont comptés, jamais nommés.</p>
        </section>

        <section>
        <h2>Observations par thème</h2>
        <table id="themes">
        <thead><tr><th>Thème</th><th class="number">Points forts</th><th class="number">Dysfonctionnements</th></tr></thead>
        <tbody>
        {{#themes}}
        <tr><td>{{label}}</td><td class="number">{{positive}}</td><td class="number">{{negative}}</td></tr>
        {{/themes}}
        </tbody>
        </table>
        </section>

        <section>
        <h2>Observations par arrêt</h2>
        {{#stops}}
        <h3>{{heading}}</h3>
        <ul class="observations">
        {{#entries}}
        <li class="{{#positive}}positive{{/positive}}{{^positive}}negative{{/positive}}">
        <span class="polarity">{{polarity}}</span> <span class="theme">{{theme}}</span><br>
        {{text}}
        {{#proposal}}
        <br><em>Proposition :</em> {{.}}
        {{/proposal}}
        {{#answers}}
        <br><span class="small">{{question}} {{answer}}</span>
        {{/answers}}
        {{#photos}}
        <br><span class="small">{{.}}</span>
        {{/photos}}
        {{#outcome}}
        <div class="outcome">→ {{kind}} <code>{{reference}}</code> : {{status}}{{#partner}}, {{.}}{{/partner}}{{#due}}, échéance le {{.}}{{/due}} · <span class="{{#late}}late{{/late}}">{{state}}</span></div>
        {{/outcome}}
        </li>
        {{/entries}}
        </ul>
        {{/stops}}
        </section>

        <section>
        <h2>Suites données</h2>
        <p>Signalements : {{signalements}}. Engagements : {{engagements}}. Dans le délai promis : {{withinCommitment}}.</p>
        {{#hasFollowUps}}
        <table id="follow-ups">
        <thead><tr><th>Observation</th><th>Suite</th><th>Statut</th><th>Qui</th><th>Échéance</th><th>Délai</th></tr></thead>
        <tbody>
        {{/hasFollowUps}}
        {{#followUps}}
        <tr><td>{{what}}</td><td>{{outcome.kind}} <code>{{outcome.reference}}</code></td><td>{{outcome.status}}</td><td>{{outcome.partner}}</td><td>{{outcome.due}}</td><td class="{{#outcome.late}}late{{/outcome.late}}">{{outcome.state}}</td></tr>
        {{/followUps}}
        {{#hasFollowUps}}
        </tbody>
        </table>
        {{/hasFollowUps}}
        {{^hasFollowUps}}
        <p class="small">Aucune observation n'a encore été transformée en signalement ou en engagement.</p>
        {{/hasFollowUps}}
        </section>

        <footer>Compte-rendu produit par gusp à partir des observations et des suivis enregistrés. Les statuts des suites sont ceux du {{asOf}}.</footer>
        </body>
        </html>
        """#
}
