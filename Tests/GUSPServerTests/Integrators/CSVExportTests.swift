import Foundation
import GUSPCore
import GUSPDatabase
import GUSPTestSupport
import HTTPTypes
import Testing

@testable import GUSPServer

@Suite("CSV for spreadsheets")
struct CSVExportTests {
    static func fileTwo(_ api: API) async throws -> String {
        let f = api.fixture
        let places = try await f.drawContours()
        for code in ["parties_communes", "parties_communes", "proprete"] {
            _ = try await f.store.createSignalement(
                NewSignalement(categoryId: try await f.category(code), description: "Constat", location: places.inQPV),
                by: try await f.actor(.resident))
        }
        return LandParcel.day(of: Date())
    }

    @Test("grouped by category, a row names the category's code and label; the header is French, UTF-8 said", arguments: TestDatabases.engines)
    func keysAndHeader(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let today = try await Self.fileTwo(api)
            let path = "/v1/indicators/signalements_received?from=\(today)&to=\(today)&group_by=category"
            let csv = try await api.call(.get, path, as: .coordinator, headers: [.accept: "text/csv"])
            #expect(csv.status == 200, "\(csv.text)")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8; header=present")
            #expect(csv.headers[values: .vary].joined(separator: ",").contains("Accept"))
            let rows = CSVTable.parse(csv.text)
            #expect(rows[0] == ["Clé", "Code", "Libellé", "Valeur", "Effectif"])
            let lift = try #require(rows.first { $0[1] == "parties_communes" })
            #expect(lift[0] == (try await api.fixture.category("parties_communes")))
            #expect(lift[2].isEmpty == false && lift[2] != lift[0])
            #expect(lift[3] == "2")
            #expect(rows.last == ["total", "total", "Total", "3", "3"])
            let codes = try await api.call(.get, path + "&columns=codes", as: .coordinator, headers: [.accept: "text/csv"])
            #expect(CSVTable.parse(codes.text)[0] == ["key", "key_code", "key_label", "value", "sample"])
            let byAccept = try await api.call(.get, path, as: .coordinator, headers: [.accept: "text/csv; columns=codes"])
            #expect(byAccept.status == 200)
            #expect(CSVTable.parse(byAccept.text)[0] == ["key", "key_code", "key_label", "value", "sample"])
        }
    }

    @Test("excel-fr: a byte-order mark, semicolons and decimal commas, asked by query or Accept", arguments: TestDatabases.engines)
    func excelFrench(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let today = try await Self.fileTwo(api)
            let path = "/v1/indicators/signalements_received?from=\(today)&to=\(today)&group_by=category"
            let plain = try await api.call(.get, path, as: .coordinator, headers: [.accept: "text/csv"])
            for reply in [
                try await api.call(.get, path + "&dialect=excel-fr", as: .coordinator, headers: [.accept: "text/csv"]),
                try await api.call(.get, path, as: .coordinator, headers: [.accept: "text/csv;dialect=excel-fr"]),
            ] {
                #expect(reply.status == 200, "\(reply.text)")
                #expect(Array(reply.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
                let text = String(decoding: reply.body.dropFirst(3), as: UTF8.self)
                #expect(text.hasPrefix("Clé;Code;Libellé;Valeur;Effectif\r\n"))
                #expect(reply.headers[.eTag] != plain.headers[.eTag], "each dialect is its own representation")
            }
        }
    }

    @Test("the dialect rewrites quotes, separators and decimals, and leaves the rest")
    func dialectRewrite() {
        let source = "year,planned_eur,actions,lat\r\n2026,12345.67,\"Médiation, soirées\",44.9168\r\n2026,-0.5,\"dit \"\"oui\"\"\",2026-05-01\r\n"
        let rows = CSVTable.parse(source)
        #expect(
            rows == [
                ["year", "planned_eur", "actions", "lat"], ["2026", "12345.67", "Médiation, soirées", "44.9168"],
                ["2026", "-0.5", "dit \"oui\"", "2026-05-01"],
            ])
        #expect(CSVTable.render(rows, separator: ",") == source)
        let french = CSVDialectMiddleware<GUSPRequestContext>.rewrite(source, .init(excelFrench: true, codes: false))
        #expect(
            french
                == "\u{FEFF}Année;Prévu (€);Actions;Latitude\r\n2026;12345,67;Médiation, soirées;44,9168\r\n2026;-0,5;\"dit \"\"oui\"\"\";2026-05-01\r\n"
        )
        #expect(CSVDialectMiddleware<GUSPRequestContext>.decimalComma("1.2.3") == "1.2.3")
        #expect(CSVDialectMiddleware<GUSPRequestContext>.decimalComma("QN02607M") == "QN02607M")
    }

    @Test("every column of every export has a French heading")
    func everyColumnHasAHeading() {
        let headers = [AtfpbReport.csvColumns, WalkReport.csvColumns, ["key", "key_code", "key_label", "value", "sample"]]
        for column in headers.joined() { #expect(CSVColumns.french[column] != nil, "\(column)") }
    }
}
