import Mustache

/// The small French pages residents open without an account: where a signalement stands (`/suivi/…`),
/// a questionnaire's answer (`/retour/…`), an unsubscription (`/desabonnement/…`). Server-side, no
/// script, the shared style only; forms post back to the same address.
public enum ResidentPages {
    public static func tracking(_ view: PublicSignalement) -> String {
        var facts: [[String: String]] = [["label": "Référence", "value": view.reference]]
        if let category = view.category { facts.append(["label": "Catégorie", "value": category.label]) }
        if let quartier = view.quartier { facts.append(["label": "Quartier", "value": quartier.label]) }
        facts.append(["label": "État", "value": view.statusLabel])
        facts.append(["label": "Déposé le", "value": FrenchDates.day(view.filedAt)])
        if let due = view.dueAt { facts.append(["label": "À traiter au plus tard le", "value": FrenchDates.day(due)]) }
        if let within = view.withinCommitment {
            facts.append(["label": "Délai", "value": within ? "dans le délai promis" : "délai promis dépassé"])
        }
        if let resolved = view.resolvedAt { facts.append(["label": "Résolu le", "value": FrenchDates.day(resolved)]) }
        if let merged = view.mergedInto { facts.append(["label": "Regroupé avec", "value": merged]) }
        let context: [String: Any] = [
            "style": PrintablePage.style, "title": "Signalement \(view.reference)", "facts": facts,
            "comments": view.comments.map { ["author": $0.author, "date": FrenchDates.day($0.createdAt), "body": $0.body] },
            "hasComments": !view.comments.isEmpty, "confidential": view.category == nil,
        ]
        return trackingTemplate.render(context)
    }

    public static func feedback(_ question: FeedbackQuestion, token: String, effectiveAt: String?) -> String {
        var context: [String: Any] = [
            "style": PrintablePage.style, "reference": question.reference, "category": question.category,
            "settled": question.status == .settled, "provisional": question.status == .provisional, "action": "/retour/" + token,
            "choices": FeedbackAnswer.allCases.map { ["value": $0.rawValue, "label": $0.label, "checked": $0 == question.answer] as [String: Any] },
        ]
        // Mustache reads an absent key as false; a nil inside `Any` would not be.
        if let quartier = question.quartier { context["quartier"] = quartier }
        if let answer = question.answer { context["answer"] = answer.label }
        if let effectiveAt { context["effectiveAt"] = effectiveAt }
        if let outcome = question.outcome { context["outcome"] = outcomeText(outcome) }
        return feedbackTemplate.render(context)
    }

    /// A page that says only `message` (a spent or unknown link, a done unsubscription).
    public static func message(title: String, _ message: String, form action: String? = nil, button: String? = nil) -> String {
        var context: [String: Any] = ["style": PrintablePage.style, "title": title, "message": message]
        if let action, let button {
            context["action"] = action
            context["button"] = button
        }
        return messageTemplate.render(context)
    }

    static func outcomeText(_ outcome: FeedbackOutcome) -> String {
        switch outcome {
        case .confirmed: "Merci : votre réponse est enregistrée."
        case .reopened: "Merci : le signalement a été rouvert et le partenaire responsable en est informé."
        case .notReopened:
            "Merci : votre réponse est enregistrée. Le délai pour rouvrir ce signalement est passé : faites un nouveau signalement si le problème persiste."
        case .commented: "Merci : votre réponse a été transmise au partenaire responsable."
        }
    }

    static let head = #"""
        <!DOCTYPE html>
        <html lang="fr">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>{{title}}</title>
        <style>{{{style}}}</style>
        </head>
        <body>
        """#

    static let trackingTemplate = try! MustacheTemplate(
        string: "{{% CONTENT_TYPE: HTML }}\n" + head + #"""
            <header>
            <p class="kicker">Suivi d'un signalement</p>
            <h1>{{title}}</h1>
            </header>
            <main>
            <table>
            <tbody>
            {{#facts}}
            <tr><th scope="row">{{label}}</th><td>{{value}}</td></tr>
            {{/facts}}
            </tbody>
            </table>
            {{#confidential}}
            <p class="small">Ce signalement relève de la tranquillité publique : seul son état est affiché.</p>
            {{/confidential}}
            {{#hasComments}}
            <h2>Messages</h2>
            <ul class="observations">
            {{#comments}}
            <li><span class="small">{{author}}, le {{date}}</span><br>{{body}}</li>
            {{/comments}}
            </ul>
            {{/hasComments}}
            </main>
            <footer>Cette page ne montre ni la description, ni les photos, ni l'auteur du signalement.</footer>
            </body>
            </html>
            """#)

    static let feedbackTemplate = try! MustacheTemplate(
        string: "{{% CONTENT_TYPE: HTML }}\n" + head.replacingOccurrences(of: "{{title}}", with: "Est-ce réglé ? {{reference}}") + #"""
            <header>
            <p class="kicker">Votre avis</p>
            <h1>Est-ce réglé ?</h1>
            <p class="meta">Signalement {{reference}} ({{category}}{{#quartier}}, {{.}}{{/quartier}})</p>
            </header>
            <main>
            {{#settled}}
            <p class="notice">{{outcome}}</p>
            {{/settled}}
            {{^settled}}
            {{#provisional}}
            <p class="notice">Vous avez répondu : <strong>{{answer}}</strong>. Confirmez ci-dessous, ajoutez un commentaire si vous le souhaitez ; sans confirmation, cette réponse sera prise en compte {{effectiveAt}}.</p>
            {{/provisional}}
            <form method="post" action="{{action}}">
            <fieldset>
            <legend>Le problème est-il réglé ?</legend>
            {{#choices}}
            <label><input type="radio" name="reponse" value="{{value}}"{{#checked}} checked{{/checked}} required> {{label}}</label>
            {{/choices}}
            </fieldset>
            <label for="commentaire">Commentaire (facultatif ; avec « en partie », il est transmis au partenaire et visible sur la page de suivi du signalement, sans vos coordonnées)</label>
            <textarea id="commentaire" name="commentaire" maxlength="2000"></textarea>
            <p><button type="submit">Confirmer ma réponse</button></p>
            </form>
            {{/settled}}
            </main>
            </body>
            </html>
            """#)

    static let messageTemplate = try! MustacheTemplate(
        string: "{{% CONTENT_TYPE: HTML }}\n" + head + #"""
            <header>
            <h1>{{title}}</h1>
            </header>
            <main>
            <p>{{message}}</p>
            {{#action}}
            <form method="post" action="{{action}}">
            <p><button type="submit">{{button}}</button></p>
            </form>
            {{/action}}
            </main>
            </body>
            </html>
            """#)
}
