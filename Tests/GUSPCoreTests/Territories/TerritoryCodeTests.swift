import Foundation
import Testing

@testable import GUSPCore

@Suite("Territory codes")
struct TerritoryCodeTests {
    @Test("QPV codes of both generations are accepted", arguments: ["QN02607M", "QN02608I", "QN035000", "QNABCDEF", "QP035002", "QP035006"])
    func validQPV(_ code: String) {
        #expect(TerritoryCode.problem(code: code, kind: .qpv) == nil)
    }

    @Test(
        "malformed QPV codes are refused with the expected format",
        arguments: [
            "", "QN0260", "QN02607MX", "QP03500A", "QX035002", "NQ02607M", "QN 02607M", "QN02607M ", "QN02607É", "035002",
        ])
    func invalidQPV(_ code: String) throws {
        let message = try #require(TerritoryCode.problem(code: code, kind: .qpv))
        #expect(message.contains("QN02607M"))
        #expect(message.contains("QP035002"))
    }

    @Test("lower-case QPV codes are refused: the API requires uppercase")
    func lowercaseQPV() throws {
        let message = try #require(TerritoryCode.problem(code: "qn02607m", kind: .qpv))
        #expect(message.contains("uppercase"))
        #expect(message.contains("QN02607M"))
        #expect(TerritoryCode.problem(code: "qp035002", kind: .qpv)?.contains("uppercase") == true)
    }

    @Test("INSEE commune codes are accepted", arguments: ["26362", "35238", "2A004", "2B033", "20004", "97411"])
    func validCommune(_ code: String) {
        #expect(TerritoryCode.problem(code: code, kind: .commune) == nil)
    }

    @Test("malformed commune codes are refused", arguments: ["", "2636", "263621", "2C004", "2A04", "2A0O4", "AB004", "3523 8", "QP035002"])
    func invalidCommune(_ code: String) throws {
        let message = try #require(TerritoryCode.problem(code: code, kind: .commune))
        #expect(message.contains("INSEE"))
    }

    @Test("lower-case Corsican commune codes are refused: the API requires uppercase")
    func lowercaseCommune() throws {
        let message = try #require(TerritoryCode.problem(code: "2a004", kind: .commune))
        #expect(message.contains("uppercase"))
        #expect(message.contains("2A004"))
    }

    @Test(
        "sector codes of 1 to 64 safe characters are accepted", arguments: ["a", "Z", "nord-est_2", "Secteur-12", String(repeating: "x", count: 64)])
    func validSector(_ code: String) {
        #expect(TerritoryCode.problem(code: code, kind: .sector) == nil)
    }

    @Test("other sector codes are refused", arguments: ["", String(repeating: "x", count: 65), "a b", "été", "a/b", "a.b", "a\n"])
    func invalidSector(_ code: String) throws {
        let message = try #require(TerritoryCode.problem(code: code, kind: .sector))
        #expect(message.contains("64"))
    }

    @Test("a code valid for one kind is checked against the rules of the given kind")
    func kindMatters() {
        #expect(TerritoryCode.problem(code: "26362", kind: .qpv) != nil)
        #expect(TerritoryCode.problem(code: "QP035002", kind: .commune) != nil)
        #expect(TerritoryCode.problem(code: "QP035002", kind: .sector) == nil)
    }

    @Test("territory kinds encode as their API names")
    func kinds() throws {
        #expect(TerritoryKind.allCases.map(\.rawValue) == ["qpv", "commune", "sector"])
        let data = try JSONEncoder().encode([TerritoryKind.qpv, .commune, .sector])
        #expect(String(decoding: data, as: UTF8.self) == #"["qpv","commune","sector"]"#)
        #expect(try JSONDecoder().decode([TerritoryKind].self, from: Data(#"["sector"]"#.utf8)) == [.sector])
    }
}
