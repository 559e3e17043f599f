import NIOCore

/// Writes frames to a byte stream; the inverse of ``FrameDecoder``.
public struct FrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = Frame

    public init() {}

    public func encode(data: Frame, out: inout ByteBuffer) throws {
        EnvelopeCodec.encode(data, into: &out)
    }
}
