import Mustache

/// The one layout of every message, as plain text and as HTML (the HTML template escapes every value).
enum MailLayout {
    struct Rendered: Sendable {
        var subject: String
        var text: String
        var html: String
    }

    static func render(_ content: MailContent, unsubscribeURL: String) -> Rendered {
        let context: [String: Any] = [
            "title": content.title,
            "paragraphs": content.paragraphs,
            "facts": content.facts.map { ["label": $0.label, "value": $0.value] },
            "quote": (content.quote?.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) ?? []),
            "actions": content.actions.map { ["label": $0.label, "url": $0.url] },
            "hasFacts": !content.facts.isEmpty,
            "hasQuote": content.quote != nil,
            "reason": content.reason,
            "unsubscribe": unsubscribeURL,
        ]
        return Rendered(subject: content.subject, text: text.render(context), html: html.render(context))
    }

    static let text: MustacheTemplate = try! MustacheTemplate(string: textSource)
    static let html: MustacheTemplate = try! MustacheTemplate(string: htmlSource)

    static let textSource = #"""
        {{% CONTENT_TYPE: TEXT }}
        {{title}}

        Bonjour,

        {{#paragraphs}}
        {{.}}

        {{/paragraphs}}
        {{#facts}}
        - {{label}} : {{value}}
        {{/facts}}
        {{#quote}}
        > {{.}}
        {{/quote}}

        {{#actions}}
        {{label}} : {{url}}
        {{/actions}}

        --
        {{reason}}
        Ne plus recevoir ces messages : {{unsubscribe}}
        """#

    static let htmlSource = #"""
        {{% CONTENT_TYPE: HTML }}
        <!DOCTYPE html>
        <html lang="fr">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{title}}</title></head>
        <body style="font-family: system-ui, sans-serif; color: #1b1b1b; max-width: 40em; margin: 0 auto; padding: 1em; line-height: 1.5">
        <h1 style="font-size: 1.3em">{{title}}</h1>
        <p>Bonjour,</p>
        {{#paragraphs}}
        <p>{{.}}</p>
        {{/paragraphs}}
        {{#hasFacts}}
        <table role="presentation" style="border-collapse: collapse">
        {{#facts}}
        <tr><th scope="row" style="text-align: left; padding: 0.2em 1em 0.2em 0; font-weight: 600">{{label}}</th><td>{{value}}</td></tr>
        {{/facts}}
        </table>
        {{/hasFacts}}
        {{#hasQuote}}
        <blockquote style="border-left: 4px solid #6a6a6a; margin: 1em 0; padding: 0.2em 1em">
        {{#quote}}
        <p style="margin: 0.3em 0">{{.}}</p>
        {{/quote}}
        </blockquote>
        {{/hasQuote}}
        {{#actions}}
        <p><a href="{{url}}" style="display: inline-block; padding: 0.5em 1em; background: #000091; color: #ffffff; text-decoration: none; border-radius: 4px">{{label}}</a></p>
        {{/actions}}
        <hr style="border: 0; border-top: 1px solid #dddddd; margin-top: 2em">
        <p style="font-size: 0.85em; color: #555555">{{reason}} <a href="{{unsubscribe}}" style="color: #555555">Ne plus recevoir ces messages</a>.</p>
        </body>
        </html>
        """#
}
