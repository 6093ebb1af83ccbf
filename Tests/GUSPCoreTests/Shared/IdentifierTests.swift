import GUSPCore
import Testing

@Suite("Identifiers")
struct IdentifierTests {
    @Test("ids carry their prefix and 26 Crockford characters, and sort in creation order")
    func monotonic() {
        let ids = (0..<2_000).map { _ in Identifier.make("par") }
        #expect(ids.allSatisfy { $0.hasPrefix("par_") })
        #expect(ids.allSatisfy { $0.count == 30 })
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.dropFirst(4).allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) } })
    }
}
