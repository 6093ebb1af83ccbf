import NIOCore

/// Splits the server's byte stream into reply lines on CRLF (a lone LF is accepted too), bounding line length.
///
/// A class so that the connection can ask, before STARTTLS, whether plaintext bytes are still buffered: the
/// count of bytes left after each decoding step is kept in ``unconsumedByteCount`` (RFC 3207 §5 says bytes
/// received before the TLS handshake must not be taken as part of the protected session).
final class SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    /// RFC 5321 §4.5.3.1.5 allows 512 octets per reply line; some servers send longer, so allow 4 times that.
    static let maximumLineLength = 2048

    /// Bytes received but not yet part of a complete line.
    private(set) var unconsumedByteCount = 0

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        defer { self.unconsumedByteCount = buffer.readableBytes }
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maximumLineLength { throw SMTPConnectionError.replyLineTooLong }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        guard length <= Self.maximumLineLength, var line = buffer.readSlice(length: length + 1) else {
            throw SMTPConnectionError.replyLineTooLong
        }
        var bytes = line.readBytes(length: line.readableBytes) ?? []
        bytes.removeLast()
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        context.fireChannelRead(Self.wrapInboundOut(String(decoding: bytes, as: UTF8.self)))
        return .continue
    }

    func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try self.decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
