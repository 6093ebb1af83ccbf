import Foundation
import GUSPCore
import GUSPServer
import Testing

/// docs/rgpd.md says what the code does: its retention table names each setting with the default the
/// code applies.
@Suite("The processing register")
struct RGPDRegisterTests {
    @Test("every retention in docs/rgpd.md is the default of the setting it names, as the code applies it")
    func retentions() throws {
        let register = try String(contentsOf: Repository.root.appendingPathComponent("docs/rgpd.md"), encoding: .utf8)
        let section = try #require(register.components(separatedBy: "## Conservation").dropFirst().first?.components(separatedBy: "\n## ").first)
        let rows = section.split(separator: "\n").filter { $0.hasPrefix("|") && $0.contains("`GUSP_") }
        let store = ServerSettings().storeSettings
        // What each setting's default is, in the unit the register states, from the settings the store runs with.
        let applied: [String: (number: Int, unit: String)] = [
            "GUSP_CONTACT_RETENTION_DAYS": (Int(store.contactRetention / 86_400), "jours"),
            "GUSP_ACCESS_LOG_RETENTION_DAYS": (Int(store.residents.accessLogRetention / 86_400), "jours"),
            "GUSP_NOTIFICATION_RETENTION_DAYS": (Int(store.residents.notificationRetention / 86_400), "jours"),
            "GUSP_SECURITY_LOG_RETENTION_DAYS": (Int(store.securityLogRetention / 86_400), "jours"),
            "GUSP_TOKEN_LIFETIME_HOURS": (Int(store.tokenLifetime / 3_600), "heures"),
        ]
        #expect(rows.count == applied.count, "one row per retention setting")
        for row in rows {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let variable = try #require(cells.last?.trimmingCharacters(in: CharacterSet(charactersIn: "`")))
            let expected = try #require(applied[variable], "\(variable) is not a retention setting")
            #expect(cells[1].hasPrefix("\(expected.number) \(expected.unit)"), "\(variable): the register says « \(cells[1]) »")
            let described = try #require(ServerSettings.descriptions.first { $0.variable == variable })
            #expect(described.defaultValue == String(expected.number), "\(variable)'s documented default")
        }
        #expect(section.contains("\(Int(store.residents.feedbackLifetime / 86_400)) jours après l'envoi"))
    }
}
