import Crypto
import Foundation

/// The Standard Webhooks scheme: secrets `whsec_` + base64 of random bytes; the signed content is
/// `{webhook-id}.{webhook-timestamp}.{body}`; the signature `v1,` + base64 of its HMAC-SHA256.
public enum StandardWebhooks {
    public static func newSecret() -> String {
        var bytes = [UInt8](repeating: 0, count: 24)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = generator.next() }
        return "whsec_" + Data(bytes).base64EncodedString()
    }

    public static func signature(secret: String, id: String, timestamp: Int64, body: [UInt8]) -> String {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        let key = SymmetricKey(data: Data(base64Encoded: encoded) ?? Data(secret.utf8))
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: key)
        return "v1," + Data(mac).base64EncodedString()
    }

    /// Whether one of the space-separated signatures of a `webhook-signature` header is valid (receivers).
    public static func verify(header: String, secret: String, id: String, timestamp: Int64, body: [UInt8]) -> Bool {
        let expected = signature(secret: secret, id: id, timestamp: timestamp, body: body)
        return header.split(separator: " ").contains { $0 == expected }
    }
}
