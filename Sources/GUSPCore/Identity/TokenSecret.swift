import Crypto
import Foundation

/// A bearer secret: a kind prefix and 32 random bytes (base64url). Only its SHA-256 is stored.
public struct TokenSecret: Sendable {
    public enum Kind: String, Sendable {
        /// A person's token, from `POST /v1/auth/token` or `gusp token create`.
        case personal = "gusp_pat_"
        /// A partner system's API key.
        case apiKey = "gusp_key_"
        /// The unsubscribe link of one message (works without logging in).
        case unsubscribe = "uns_"
        /// The answer links of one "est-ce réglé ?" questionnaire.
        case feedback = "fb_"
    }

    public let value: String

    public init(kind: Kind) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        self.value = kind.rawValue + Data(bytes).base64URLEncoded
    }

    /// The stored form: hex SHA-256 of the whole token.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexadecimal
    }

    /// The first characters, safe to show so that a holder recognises a key.
    public var displayPrefix: String { String(value.prefix(16)) }
}

extension Data {
    public var base64URLEncoded: String {
        base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hexadecimal, two digits per byte (computed on every request for the token hash:
    /// `String(format:)` per byte was a visible share of a request's time).
    public var hexadecimal: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
