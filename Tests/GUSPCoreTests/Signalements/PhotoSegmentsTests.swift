import GUSPTestSupport
import Testing

@testable import GUSPCore

@Suite("Photos: reserved JPEG segments")
struct PhotoSegmentsTests {
    /// The fixture JPEG with a segment of `code` holding `text` right after its start-of-image marker.
    static func jpeg(with code: UInt8, _ text: String) throws -> [UInt8] {
        let original = try TestData.bytes("photo-with-exif.jpg")
        let payload = Array(text.utf8)
        let length = payload.count + 2
        return [0xFF, 0xD8, 0xFF, code, UInt8(length >> 8), UInt8(length & 0xFF)] + payload + original.dropFirst(2)
    }

    @Test("text in a reserved JPGn segment (0xF0–0xFD) or the JPG marker (0xC8) does not survive", arguments: [0xF0, 0xF5, 0xFD, 0xC8] as [UInt8])
    func reserved(code: UInt8) throws {
        let hidden = "rappelez-moi au 06 12 34 56 78"
        let photo = try Self.jpeg(with: code, hidden)
        #expect(photo.contains(sequence: Array(hidden.utf8)))
        let clean = try PhotoSanitizer.clean(photo)
        #expect(!clean.bytes.contains(sequence: Array(hidden.utf8)), "segment 0x\(String(code, radix: 16)) kept")
        #expect(clean.width == 64)
        #expect(clean.height == 48)
    }
}
