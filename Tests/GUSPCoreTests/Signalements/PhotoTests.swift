import Foundation
import GUSPDatabase
import GUSPTestSupport
import Testing

@testable import GUSPCore

@Suite("Photos")
struct PhotoTests {
    @Test("a JPEG loses its EXIF, GPS and comment, keeps its image")
    func jpeg() throws {
        let original = try TestData.bytes("photo-with-exif.jpg")
        #expect(original.contains(sequence: Array("SecretCamMaker".utf8)))
        let clean = try PhotoSanitizer.clean(original)
        #expect(clean.mediaType == "image/jpeg")
        #expect(clean.width == 64)
        #expect(clean.height == 48)
        for secret in ["SecretCamMaker", "SecretModel", "Exif", "secret comment"] {
            #expect(!clean.bytes.contains(sequence: Array(secret.utf8)), "\(secret) survived")
        }
        #expect(clean.bytes.starts(with: [0xFF, 0xD8]))
        #expect(Array(clean.bytes.suffix(2)) == [0xFF, 0xD9])
        #expect(clean.bytes.contains(sequence: Array("JFIF".utf8)))
        #expect(clean.bytes.count < original.count)
        // Cleaning is stable.
        #expect(try PhotoSanitizer.clean(clean.bytes) == clean)
    }

    @Test("a portrait phone photo keeps its orientation, alone, and nothing else of its EXIF")
    func orientation() throws {
        let clean = try PhotoSanitizer.clean(try TestData.bytes("photo-portrait.jpg"))
        for secret in ["SecretCamMaker", "GPS"] {
            #expect(!clean.bytes.contains(sequence: Array(secret.utf8)), "\(secret) survived")
        }
        #expect(clean.bytes.contains(sequence: PhotoSanitizer.orientationSegment(6)))
        #expect(Array(clean.bytes[2...3]) == [0xFF, 0xE0], "JFIF stays first")
        #expect(try PhotoSanitizer.clean(clean.bytes) == clean)
        // Without an orientation (or the default one), no EXIF at all.
        #expect(!(try PhotoSanitizer.clean(try TestData.bytes("photo-with-exif.jpg"))).bytes.contains(sequence: Array("Exif".utf8)))
    }

    @Test("a PNG loses its text chunks, keeps its image")
    func png() throws {
        let original = try TestData.bytes("photo-with-text.png")
        let clean = try PhotoSanitizer.clean(original)
        #expect(clean.mediaType == "image/png")
        #expect(clean.width == 64)
        #expect(clean.height == 48)
        #expect(!clean.bytes.contains(sequence: Array("Secret Author".utf8)))
        #expect(!clean.bytes.contains(sequence: Array("tEXt".utf8)))
        #expect(clean.bytes.contains(sequence: Array("IDAT".utf8)))
    }

    @Test("what is not a whole JPEG or PNG within the size limits is refused")
    func refusals() throws {
        let jpeg = try TestData.bytes("photo-with-exif.jpg")
        let png = try TestData.bytes("photo-with-text.png")
        func message(_ bytes: [UInt8]) -> String? {
            do {
                _ = try PhotoSanitizer.clean(bytes)
                return nil
            } catch { return error.errors.first?.message }
        }
        #expect(message(Array("GIF89a......".utf8)) == "is not a JPEG or PNG image")
        #expect(message(Array("%PDF-1.7".utf8)) == "is not a JPEG or PNG image")
        #expect(message([]) == "is not a JPEG or PNG image")
        #expect(message(Array(jpeg.prefix(jpeg.count / 2))) == "is a truncated JPEG")
        #expect(message(Array(png.prefix(60))) == "is a truncated PNG")
        var corrupted = png
        let data = (0..<png.count - 4).first { png[$0..<($0 + 4)].elementsEqual(Array("IDAT".utf8)) }!
        corrupted[data + 6] ^= 0xFF
        #expect(message(corrupted) == "is a damaged PNG (checksum)")
        #expect(message(try TestData.bytes("photo-too-wide.png")) == "is 10001×1 pixels; at most 10000 a side and 50 megapixels")
    }

    @Test("photos are stored by hash, at most five, for those who may see the signalement", arguments: TestDatabases.engines)
    func storage(engine: Engine) async throws {
        try await TestDatabases.withStore(engine) { store in
            let f = try await Fixture.make(store)
            let places = try await f.drawContours()
            let resident = try await f.actor(.resident)
            let id = try await store.createSignalement(
                NewSignalement(
                    categoryId: try await f.category("proprete"), description: "dépôt",
                    location: places.inQPV), by: resident
            ).signalement.id
            let jpeg = try TestData.bytes("photo-with-exif.jpg")
            let photo = try await store.addPhoto(to: id, bytes: jpeg, declaredType: "image/jpeg", by: resident)
            let clean = try PhotoSanitizer.clean(jpeg)
            #expect(photo.byteSize == clean.bytes.count)
            let file = URL(fileURLWithPath: store.settings.dataDirectory)
                .appendingPathComponent("photos/\(photo.contentHash.prefix(2))/\(photo.contentHash).jpg")
            #expect(FileManager.default.contents(atPath: file.path).map(Array.init) == clean.bytes)
            let (read, bytes) = try await store.photo(photo.id, of: id, by: try await f.actor(.elected))
            #expect(read == photo)
            #expect(bytes == clean.bytes)
            #expect(try await store.signalement(id, by: resident).photos == [photo])
            // Not the bytes they say; not an image; someone who may not add; someone who may not see.
            await #expect(throws: ValidationFailure(field: "photo", message: "is image/jpeg, not image/png as Content-Type says")) {
                try await store.addPhoto(to: id, bytes: jpeg, declaredType: "image/png", by: resident)
            }
            await #expect(throws: ValidationFailure(field: "photo", message: "is not a JPEG or PNG image")) {
                try await store.addPhoto(to: id, bytes: Array("hello".utf8), declaredType: nil, by: resident)
            }
            await #expect(throws: DomainError.forbidden("photos are added by the reporter, the assigned partner, coordinators and admins")) {
                try await store.addPhoto(to: id, bytes: jpeg, declaredType: nil, by: try await f.actor(.elected))
            }
            let technicianB = try await f.actor(of: f.technicianB)
            await #expect(throws: DomainError.notFound("signalement not found")) { try await store.photo(photo.id, of: id, by: technicianB) }
            await #expect(throws: DomainError.notFound("photo not found")) { try await store.photo("pho_nope", of: id, by: resident) }
            for _ in 0..<4 {
                _ = try await store.addPhoto(to: id, bytes: try TestData.bytes("photo-with-text.png"), declaredType: nil, by: Fixture.root)
            }
            await #expect(throws: DomainError.conflict("a signalement has at most 5 photos")) {
                try await store.addPhoto(to: id, bytes: jpeg, declaredType: nil, by: resident)
            }
            #expect(try await store.signalement(id, by: resident).photos.count == 5)
        }
    }
}

extension Array where Element == UInt8 {
    func contains(sequence: [UInt8]) -> Bool {
        guard !sequence.isEmpty, sequence.count <= count else { return false }
        return (0...(count - sequence.count)).contains { self[$0..<($0 + sequence.count)].elementsEqual(sequence) }
    }
}
