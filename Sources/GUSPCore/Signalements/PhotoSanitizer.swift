/// A photo as gusp keeps it: JPEG or PNG, recognised by its bytes, with every metadata segment or
/// chunk removed (EXIF with its GPS position, XMP, IPTC, comments, text chunks, timestamps).
public struct CleanPhoto: Sendable, Equatable {
    public var mediaType: String
    public var width: Int
    public var height: Int
    public var bytes: [UInt8]

    public var fileExtension: String { mediaType == "image/png" ? "png" : "jpg" }
}

/// Checks an uploaded image by its magic bytes and structure and rewrites it without metadata.
///
/// - JPEG: the segments up to and between scans are walked; APP0 (JFIF), APP2 (ICC profile) and
///   APP14 (Adobe colour transform) are kept, every other APPn (EXIF, XMP, IPTC…), every comment and
///   every reserved segment (JPGn) is dropped, and nothing after the end-of-image marker is kept. The one EXIF field kept is the
///   orientation (rewritten alone in a minimal EXIF segment), without which a phone's portrait photo
///   shows on its side. A start-of-frame (for the size), a scan
///   and the end marker are required.
/// - PNG: the chunks are walked with their CRC; the image chunks and the colour ones (PLTE, tRNS, cHRM,
///   gAMA, iCCP, sBIT, sRGB, bKGD, pHYs) are kept; text, EXIF, time and any other ancillary chunk is
///   dropped; an unknown critical chunk refuses the file.
/// - Either way, each side is at most `maximumSide` pixels and the image at most `maximumPixels`.
public enum PhotoSanitizer {
    public static let maximumSide = 10_000
    public static let maximumPixels = 50_000_000

    public static func clean(_ bytes: [UInt8]) throws(ValidationFailure) -> CleanPhoto {
        let photo: CleanPhoto
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            photo = try cleanJPEG(bytes)
        } else if bytes.starts(with: pngSignature) {
            photo = try cleanPNG(bytes)
        } else {
            throw refusal("is not a JPEG or PNG image")
        }
        guard photo.width >= 1, photo.height >= 1, photo.width <= maximumSide, photo.height <= maximumSide,
            photo.width * photo.height <= maximumPixels
        else {
            throw refusal("is \(photo.width)×\(photo.height) pixels; at most \(maximumSide) a side and \(maximumPixels / 1_000_000) megapixels")
        }
        return photo
    }

    static func refusal(_ message: String) -> ValidationFailure {
        ValidationFailure(field: "photo", message: message)
    }

    // MARK: JPEG

    private static func cleanJPEG(_ bytes: [UInt8]) throws(ValidationFailure) -> CleanPhoto {
        var output: [UInt8] = [0xFF, 0xD8]
        var index = 2
        var size: (width: Int, height: Int)?
        var sawScan = false
        var orientation: UInt16?
        // Where the orientation segment goes: after the JFIF segment when it leads, else after the start.
        var orientationAt = output.count
        while true {
            // A marker: 0xFF (fill bytes allowed), then the code.
            guard index < bytes.count, bytes[index] == 0xFF else { throw refusal("is a damaged JPEG (marker expected)") }
            while index < bytes.count, bytes[index] == 0xFF { index += 1 }
            guard index < bytes.count else { throw refusal("is a truncated JPEG") }
            let code = bytes[index]
            index += 1
            if code == 0xD9 {
                guard let size, sawScan else { throw refusal("is a JPEG without an image") }
                output += [0xFF, 0xD9]
                if let orientation, orientation != 1 { output.insert(contentsOf: orientationSegment(orientation), at: orientationAt) }
                return CleanPhoto(mediaType: "image/jpeg", width: size.width, height: size.height, bytes: output)
            }
            if (0xD0...0xD7).contains(code) || code == 0x01 {
                output += [0xFF, code]
                continue
            }
            guard index + 2 <= bytes.count else { throw refusal("is a truncated JPEG") }
            let length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
            guard length >= 2 else { throw refusal("is a damaged JPEG (segment length)") }
            guard index + length <= bytes.count else { throw refusal("is a truncated JPEG") }
            let segment = bytes[index..<(index + length)]
            index += length
            if isStartOfFrame(code) {
                guard length >= 8 else { throw refusal("is a damaged JPEG (frame header)") }
                let base = segment.startIndex
                size = (Int(segment[base + 5]) << 8 | Int(segment[base + 6]), Int(segment[base + 3]) << 8 | Int(segment[base + 4]))
            }
            if code == 0xE1, orientation == nil { orientation = exifOrientation(segment.dropFirst(2)) }
            if keepsJPEGSegment(code, segment.dropFirst(2)) {
                output += [0xFF, code] + segment
                if code == 0xE0, orientationAt == 2, output.count == 4 + length { orientationAt = output.count }
            }
            if code == 0xDA {
                sawScan = true
                // Entropy-coded data runs to the next marker other than a stuffed 0xFF00 or a restart.
                let start = index
                while index + 1 < bytes.count {
                    if bytes[index] == 0xFF, bytes[index + 1] != 0x00, !(0xD0...0xD7).contains(bytes[index + 1]) { break }
                    index += 1
                }
                guard index + 1 < bytes.count else { throw refusal("is a truncated JPEG") }
                output += bytes[start..<index]
            }
        }
    }

    /// The orientation (1–8) in an EXIF segment's first directory, if it has a valid one.
    static func exifOrientation(_ payload: ArraySlice<UInt8>) -> UInt16? {
        let bytes = Array(payload)
        guard bytes.count >= 14, bytes.starts(with: Array("Exif\0\0".utf8)) else { return nil }
        let tiff = 6
        let bigEndian: Bool
        switch (bytes[tiff], bytes[tiff + 1]) {
        case (0x4D, 0x4D): bigEndian = true
        case (0x49, 0x49): bigEndian = false
        default: return nil
        }
        func read16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= bytes.count else { return nil }
            return bigEndian ? Int(bytes[at]) << 8 | Int(bytes[at + 1]) : Int(bytes[at + 1]) << 8 | Int(bytes[at])
        }
        func read32(_ at: Int) -> Int? {
            guard let high = read16(bigEndian ? at : at + 2), let low = read16(bigEndian ? at + 2 : at) else { return nil }
            return high << 16 | low
        }
        guard read16(tiff + 2) == 42, let directory = read32(tiff + 4), let count = read16(tiff + directory) else { return nil }
        for entry in 0..<min(count, 512) {
            let at = tiff + directory + 2 + entry * 12
            guard let tag = read16(at) else { return nil }
            if tag == 0x0112 {
                guard read16(at + 2) == 3, let value = read16(at + 8), (1...8).contains(value) else { return nil }
                return UInt16(value)
            }
        }
        return nil
    }

    /// A minimal EXIF segment holding only the orientation.
    static func orientationSegment(_ orientation: UInt16) -> [UInt8] {
        [0xFF, 0xE1, 0x00, 0x22] + Array("Exif\0\0".utf8)
            + [
                0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01,
                0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, UInt8(orientation >> 8), UInt8(orientation & 0xFF), 0x00, 0x00,
                0x00, 0x00, 0x00, 0x00,
            ]
    }

    private static func isStartOfFrame(_ code: UInt8) -> Bool {
        (0xC0...0xCF).contains(code) && code != 0xC4 && code != 0xC8 && code != 0xCC
    }

    /// What a decoder needs, and nothing else: tables (DQT, DHT, DAC), frames, scans, restart intervals,
    /// the number of lines and the hierarchical markers, and the three APPn above. Every other segment is
    /// dropped: other APPn and comments (metadata), and the reserved JPG and JPGn codes (0xC8, 0xF0–0xFD),
    /// where text would otherwise survive.
    private static func keepsJPEGSegment(_ code: UInt8, _ payload: ArraySlice<UInt8>) -> Bool {
        switch code {
        case 0xE0: payload.starts(with: Array("JFIF\0".utf8))
        case 0xE2: payload.starts(with: Array("ICC_PROFILE\0".utf8))
        case 0xEE: payload.starts(with: Array("Adobe".utf8))
        case 0xDB, 0xC4, 0xCC, 0xDA, 0xDD, 0xDC, 0xDE, 0xDF: true
        case let frame where isStartOfFrame(frame): true
        default: false
        }
    }

    // MARK: PNG

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    private static let keptPNGChunks: Set<String> = ["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "cHRM", "gAMA", "iCCP", "sBIT", "sRGB", "bKGD", "pHYs"]

    private static func cleanPNG(_ bytes: [UInt8]) throws(ValidationFailure) -> CleanPhoto {
        var output = pngSignature
        var index = pngSignature.count
        var size: (width: Int, height: Int)?
        var sawData = false
        while index + 12 <= bytes.count {
            let length = Int(bytes[index]) << 24 | Int(bytes[index + 1]) << 16 | Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            let end = index + 12 + length
            guard length <= 0x7FFF_FFFF else { throw refusal("is a damaged PNG (chunk length)") }
            guard end <= bytes.count else { throw refusal("is a truncated PNG") }
            let typeBytes = Array(bytes[(index + 4)..<(index + 8)])
            guard typeBytes.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
                throw refusal("is a damaged PNG (chunk type)")
            }
            let type = String(decoding: typeBytes, as: UTF8.self)
            let stored = UInt32(bytes[end - 4]) << 24 | UInt32(bytes[end - 3]) << 16 | UInt32(bytes[end - 2]) << 8 | UInt32(bytes[end - 1])
            guard CRC32.checksum(bytes[(index + 4)..<(end - 4)]) == stored else { throw refusal("is a damaged PNG (checksum)") }
            if size == nil {
                guard type == "IHDR", length == 13 else { throw refusal("is a damaged PNG (IHDR must come first)") }
                let data = index + 8
                size = (
                    Int(bytes[data]) << 24 | Int(bytes[data + 1]) << 16 | Int(bytes[data + 2]) << 8 | Int(bytes[data + 3]),
                    Int(bytes[data + 4]) << 24 | Int(bytes[data + 5]) << 16 | Int(bytes[data + 6]) << 8 | Int(bytes[data + 7])
                )
            }
            if type == "IDAT" { sawData = true }
            let critical = (0x41...0x5A).contains(typeBytes[0])
            if keptPNGChunks.contains(type) {
                output += bytes[index..<end]
            } else if critical {
                throw refusal("is a PNG with an unknown critical chunk \(type)")
            }
            index = end
            if type == "IEND" {
                guard let size, sawData else { throw refusal("is a PNG without image data") }
                return CleanPhoto(mediaType: "image/png", width: size.width, height: size.height, bytes: output)
            }
        }
        throw refusal("is a truncated PNG")
    }
}
