import Testing

@testable import GUSPCore

@Suite("SIREN")
struct SIRENTests {
    @Test("valid SIREN numbers pass", arguments: ["732829320", "356000000", "552100554", "130025265", "000000000"])
    func valid(_ value: String) {
        #expect(SIREN.isValid(value))
    }

    @Test("wrong checksum fails", arguments: ["732829321", "732829302", "356000001", "123456789"])
    func badChecksum(_ value: String) {
        #expect(!SIREN.isValid(value))
    }

    @Test("a SIRET (14 digits) is not a SIREN")
    func siret() {
        #expect(!SIREN.isValid("21260362900018"))
        #expect(!SIREN.isValid("73282932000074"))
    }

    @Test("wrong length fails", arguments: ["", "73282932", "7328293200"])
    func wrongLength(_ value: String) {
        #expect(!SIREN.isValid(value))
    }

    @Test(
        "non-digits and white space fail",
        arguments: [
            "12345678a", "73282932O", "732 829 320", " 732829320", "732829320\n", "-73282932", "+73282932",
            "７３２８２９３２０", "٧٣٢٨٢٩٣٢٠",
        ])
    func nonDigits(_ value: String) {
        #expect(!SIREN.isValid(value))
    }
}
