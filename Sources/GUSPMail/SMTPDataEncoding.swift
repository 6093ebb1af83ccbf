import NIOCore

/// The DATA payload of a rendered message (RFC 5321 §4.5.2, §4.1.1.4).
enum SMTPDataEncoding {
    /// `message` with every line ending made CRLF, a `.` doubled at the start of each line (dot-stuffing, so
    /// no line of the message can end DATA early), a final CRLF if missing, then the `.` CRLF terminator.
    static func payload(_ message: String) -> ByteBuffer {
        let bytes = Array(message.utf8)
        var output = ByteBuffer()
        output.reserveCapacity(bytes.count + bytes.count / 50 + 5)
        var atLineStart = true
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if atLineStart && byte == UInt8(ascii: ".") { output.writeInteger(UInt8(ascii: ".")) }
            switch byte {
            case UInt8(ascii: "\r"):
                if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
                output.writeString("\r\n")
                atLineStart = true
            case UInt8(ascii: "\n"):
                output.writeString("\r\n")
                atLineStart = true
            default:
                output.writeInteger(byte)
                atLineStart = false
            }
            index += 1
        }
        if !atLineStart { output.writeString("\r\n") }
        output.writeString(".\r\n")
        return output
    }
}
