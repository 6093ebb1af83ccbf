import Foundation

@testable import GUSPMail

/// Messages and helpers shared by the tests.
enum Fixtures {
    static let frenchText = """
        Bonjour,

        Votre signalement a été pris en compte : é à ç ’ €.
        .Cette ligne commence par un point.
        .
        Ligne avec des espaces à la fin   
        Égalité = 1
        """

    static let longLine = String(repeating: "Une très longue ligne sans retour, ", count: 60) + "fin."

    static func message(
        to: MailAddress = MailAddress("habitant@example.org", name: "Habitant Exemple"),
        subject: String = "Votre signalement n°42 a été traité",
        text: String = frenchText + "\n" + longLine + "\n",
        html: String? = "<p>Bonjour, votre signalement a été <b>traité</b> — merci&nbsp;!</p>\n",
        unsubscribeURL: String? = "https://gusp.example.org/unsubscribe?token=abc123",
        extraHeaders: [MailHeader] = [MailHeader("Auto-Submitted", "auto-generated")]
    ) -> MailMessage {
        MailMessage(
            from: MailAddress("noreply@gusp.example.org", name: "Ville de Lyon – Signalements"),
            to: to,
            subject: subject,
            text: text,
            html: html,
            messageId: "ntf_\(UUID().uuidString.lowercased())@gusp.example.org",
            date: Date(timeIntervalSince1970: 1_733_236_140),
            unsubscribeURL: unsubscribeURL,
            extraHeaders: extraHeaders
        )
    }

    /// The header block of a rendered message, unfolded, as (name, value) pairs.
    static func headers(of rendered: String) -> [(name: String, value: String)] {
        let block = rendered.components(separatedBy: "\r\n\r\n").first ?? ""
        var fields: [(name: String, value: String)] = []
        for line in block.components(separatedBy: "\r\n") {
            if line.first == " " || line.first == "\t", let last = fields.popLast() {
                fields.append((last.name, last.value + line))
            } else if let colon = line.firstIndex(of: ":") {
                fields.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingSpaces()))
            } else {
                fields.append((line, ""))
            }
        }
        return fields
    }

    /// Decodes a run of RFC 2047 B or Q encoded-words separated by white space (test-side decoder).
    static func decodeEncodedWords(_ value: String) -> String? {
        var bytes: [UInt8] = []
        for word in value.split(whereSeparator: \.isWhitespace) {
            let parts = word.split(separator: "?", omittingEmptySubsequences: false)
            guard parts.count == 5, parts[0] == "=", parts[4] == "=", parts[1].uppercased() == "UTF-8" else { return nil }
            if parts[2].uppercased() == "B" {
                guard let data = Data(base64Encoded: String(parts[3])) else { return nil }
                bytes += data
            } else {
                bytes += decodeQuotedPrintable(String(parts[3]).replacingOccurrences(of: "_", with: " "))
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Decodes quoted-printable text (soft breaks removed, `=XX` decoded).
    static func decodeQuotedPrintable(_ text: String) -> [UInt8] {
        let input = Array(text.utf8)
        var output: [UInt8] = []
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "=") {
                if index + 2 < input.count, input[index + 1] == UInt8(ascii: "\r"), input[index + 2] == UInt8(ascii: "\n") {
                    index += 3
                    continue
                }
                if index + 2 < input.count, let byte = UInt8(String(decoding: input[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                    output.append(byte)
                    index += 3
                    continue
                }
            }
            output.append(input[index])
            index += 1
        }
        return output
    }
}

extension String {
    /// The text with every line break made LF (the sink's parser keeps the message's CRLF).
    var lf: String { self.replacingOccurrences(of: "\r\n", with: "\n") }
}
