import NIOCore

/// Reads frames from a byte stream: `flags | length (u32, big-endian) | envelope`.
///
/// The length is checked against ``maxFrameBytes`` as soon as the five header bytes are in,
/// before any byte of the body is waited for or buffered, so an oversized or hostile length
/// costs nothing. Any error is thrown to the pipeline, where the connection handler answers it
/// with an `error` frame and closes.
public struct FrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = Frame

    /// The largest body this side accepts; announced to the peer in the handshake.
    public var maxFrameBytes: UInt32

    /// Creates a decoder with the given body limit.
    public init(maxFrameBytes: UInt32 = WireProtocol.defaultMaxFrameBytes) {
        self.maxFrameBytes = maxFrameBytes
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try next(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        if let frame = try next(from: &buffer) {
            context.fireChannelRead(Self.wrapInboundOut(frame))
            return .continue
        }
        if buffer.readableBytes > 0 && seenEOF {
            let missing = missingBytes(in: buffer)
            buffer.moveReaderIndex(to: buffer.writerIndex)
            throw FrameError.truncated(missingBytes: missing)
        }
        return .needMoreData
    }

    /// Takes one complete frame off the front of `buffer`, or returns nil if it is not all there.
    /// Usable without a channel (tests, tools).
    public func next(from buffer: inout ByteBuffer) throws(FrameError) -> Frame? {
        guard let flags = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
              let length = buffer.getInteger(at: buffer.readerIndex + 1, endianness: .big, as: UInt32.self)
        else { return nil }
        guard flags == 0 else { throw .unsupportedFlags(flags) }
        guard length <= maxFrameBytes else { throw .frameTooLarge(length: length, limit: maxFrameBytes) }
        guard buffer.readableBytes >= WireProtocol.frameHeaderSize + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: WireProtocol.frameHeaderSize)
        let body = buffer.readSlice(length: Int(length))!
        return try EnvelopeCodec.decode(body: body)
    }

    private func missingBytes(in buffer: ByteBuffer) -> Int {
        guard let length = buffer.getInteger(at: buffer.readerIndex + 1, endianness: .big, as: UInt32.self) else {
            return WireProtocol.frameHeaderSize - buffer.readableBytes
        }
        return WireProtocol.frameHeaderSize + Int(length) - buffer.readableBytes
    }
}
