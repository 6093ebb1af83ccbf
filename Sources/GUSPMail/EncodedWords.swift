import Foundation

/// RFC 2047 encoded-words (`=?UTF-8?B?...?=`) for header text that is not plain printable ASCII.
///
/// The "B" (base64) form is used everywhere: it is valid in unstructured text and in display names alike and
/// carries any byte, control characters included, so nothing in the text can end the header line.
enum EncodedWords {
    /// RFC 2047 §2: an encoded-word is at most 75 characters long.
    static let maximumWordLength = 75
    /// The shortest first word worth starting on the field's first line.
    static let minimumWordLength = 20
    fileprivate static let prefix = "=?UTF-8?B?"
    fileprivate static let suffix = "?="

    /// Encodes `text` as encoded-words of at most 75 characters, the first at most `firstWordLength`.
    ///
    /// Words are cut between characters (between Unicode scalars for a character too long for one word),
    /// never inside a UTF-8 sequence, so each word decodes to valid UTF-8 on its own (RFC 2047 §5). Where
    /// the text has a space in the second half of a word, the word ends just after it: decoders that wrongly
    /// keep the white space between two words (Python's address parser does) then only double a space.
    static func encode(_ text: String, firstWordLength: Int = maximumWordLength) -> [String] {
        var encoder = Encoder(firstCapacity: byteCapacity(forWordLength: max(minimumWordLength, min(firstWordLength, maximumWordLength))))
        for character in text {
            encoder.append(character)
        }
        return encoder.finish()
    }

    /// Accumulates whole characters into words.
    private struct Encoder {
        let fullCapacity = EncodedWords.byteCapacity(forWordLength: EncodedWords.maximumWordLength)
        var capacity: Int
        var words: [String] = []
        var chunk: [UInt8] = []
        /// Where the chunk may be cut just after a space.
        var cutAfterSpace: Int?

        init(firstCapacity: Int) {
            self.capacity = firstCapacity
        }

        /// Adds a character whole, or scalar by scalar when it cannot fit in one word.
        mutating func append(_ character: Character) {
            let bytes = Array(character.utf8)
            if bytes.count > self.fullCapacity || (self.chunk.isEmpty && bytes.count > self.capacity) {
                for scalar in character.unicodeScalars { self.appendUnit(Array(String(scalar).utf8), isSpace: false) }
            } else {
                self.appendUnit(bytes, isSpace: character == " ")
            }
        }

        /// Adds bytes that must stay in one word (at most 4 for a scalar, so they fit even the shortest word).
        private mutating func appendUnit(_ bytes: [UInt8], isSpace: Bool) {
            if self.chunk.count + bytes.count > self.capacity, !self.chunk.isEmpty {
                if let cut = self.cutAfterSpace, cut * 2 >= self.capacity, self.chunk.count - cut + bytes.count <= self.fullCapacity {
                    let rest = Array(self.chunk[cut...])
                    self.chunk.removeSubrange(cut...)
                    self.flush()
                    self.chunk = rest
                } else {
                    self.flush()
                }
            }
            self.chunk += bytes
            if isSpace { self.cutAfterSpace = self.chunk.count }
        }

        mutating func flush() {
            self.words.append(EncodedWords.prefix + Data(self.chunk).base64EncodedString() + EncodedWords.suffix)
            self.chunk.removeAll(keepingCapacity: true)
            self.cutAfterSpace = nil
            self.capacity = self.fullCapacity
        }

        mutating func finish() -> [String] {
            if !self.chunk.isEmpty || self.words.isEmpty { self.flush() }
            return self.words
        }
    }

    /// How many UTF-8 bytes fit in a word of `length` characters: whole base64 groups after the delimiters.
    fileprivate static func byteCapacity(forWordLength length: Int) -> Int {
        (length - prefix.count - suffix.count) / 4 * 3
    }
}
