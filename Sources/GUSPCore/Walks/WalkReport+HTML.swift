/// The compte-rendu as one printable HTML page, in French, self-contained (its style inline, no
/// script, no font, image or stylesheet fetched): what goes back to every participant.
extension WalkReport {
    public var html: String { WalkReportTemplates.html.render(WalkReportDocument(self)) }
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
        <style>{{{style}}}</style>
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
