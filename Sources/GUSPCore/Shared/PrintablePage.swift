import Crypto
import Foundation

/// The style of gusp's HTML pages (a walk's compte-rendu, a meeting's minutes, the public tracking and
/// feedback pages): one `<style>`
/// element, the same on every page, so that one Content-Security-Policy hash allows it and nothing else.
public enum PrintablePage {
    /// The `<style>` element's text, inserted as it is (`{{{style}}}`) in every printable template.
    static let style = #"""
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
        form { margin: 1rem 0; }
        fieldset { border: 1px solid var(--line); border-radius: 4px; padding: .6rem 1rem; }
        label { display: block; margin: .4rem 0; }
        textarea { width: 100%; min-height: 5rem; font: inherit; padding: .4rem; }
        button { font: inherit; padding: .5rem 1.1rem; border: 0; border-radius: 4px; background: var(--accent); color: #fff; cursor: pointer; }
        button:focus, a:focus, textarea:focus, input:focus { outline: 3px solid #ffbf47; outline-offset: 2px; }
        .notice { border-left: 4px solid var(--accent); background: #eef3f8; padding: .6rem .9rem; }
        footer { margin-top: 2.5rem; color: var(--muted); font-size: .8rem; border-top: 1px solid var(--line); padding-top: .6rem; }
        @media print { body { padding: 0; font-size: 11pt; } h2 { break-after: avoid; } .figures li { border-color: #999; } }
        """#

    /// `sha256-…` of the style element's text, for the pages' Content-Security-Policy.
    public static let styleSourceHash: String = "sha256-" + Data(SHA256.hash(data: Data(style.utf8))).base64EncodedString()
}
