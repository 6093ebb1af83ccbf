/// Random multipart boundaries (RFC 2046 §5.1.1).
enum MIMEBoundary {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// `=_gusp_` and 32 random letters and digits. `=_` never occurs in quoted-printable output (`=` is always
    /// followed by a hex digit or a line break there), so the boundary cannot collide with an encoded part.
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let suffix = (0..<32).map { _ in alphabet.randomElement(using: &generator)! }
        return "=_gusp_" + String(decoding: suffix, as: UTF8.self)
    }
}
