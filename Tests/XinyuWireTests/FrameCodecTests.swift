import Foundation
import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing
import XinyuTestSupport
@testable import XinyuWire

@Suite("Frame codec")
struct FrameCodecTests {
    static func callStart(_ id: UInt32, method: String, payload: String) -> Frame {
        var start = Xinyu_Wire_V1_CallStart()
        start.method = method
        start.timeoutMicros = 5_000_000
        return .callStart(stream: id, start: start, payload: ByteBuffer(string: payload))
    }

    static func encoded(_ frames: [Frame]) -> ByteBuffer {
        var out = ByteBuffer()
        for frame in frames { EnvelopeCodec.encode(frame, into: &out) }
        return out
    }

    @Test("round trip keeps envelope and payload, including Chinese text")
    func roundTrip() throws {
        let frame = Self.callStart(7, method: "xinyu.crisis.v1.Crisis/OpenCase", payload: "学生 张伟")
        var buffer = Self.encoded([frame])
        let decoded = try #require(try FrameDecoder().next(from: &buffer))
        #expect(decoded.streamID == 7)
        #expect(decoded.envelope.callStart.method == "xinyu.crisis.v1.Crisis/OpenCase")
        #expect(decoded.envelope.callStart.timeoutMicros == 5_000_000)
        #expect(String(buffer: decoded.payload) == "学生 张伟")
        #expect(decoded.envelope.payload.isEmpty)
        #expect(buffer.readableBytes == 0)
    }

    @Test("the encoded frame is ordinary protobuf with the payload as field 15")
    func wireLayout() throws {
        let frame = Frame.message(stream: 1, payload: ByteBuffer(bytes: [0xAA, 0xBB]))
        var buffer = Self.encoded([frame])
        let bytes = buffer.readBytes(length: buffer.readableBytes)!
        // flags 0, length 8, stream_id=1 (08 01), message {} (2A 00), payload (7A 02 AA BB)
        #expect(bytes == [0x00, 0x00, 0x00, 0x00, 0x08, 0x08, 0x01, 0x2A, 0x00, 0x7A, 0x02, 0xAA, 0xBB])
        let envelope = try Xinyu_Wire_V1_Envelope(serializedBytes: Array(bytes[5...]))
        #expect(envelope.payload == Data([0xAA, 0xBB]))
    }

    @Test("payload field anywhere in the envelope is found (other writers may not put it last)")
    func payloadNotLast() throws {
        var envelope = Xinyu_Wire_V1_Envelope()
        envelope.streamID = 3
        envelope.message = Xinyu_Wire_V1_CallMessage()
        envelope.payload = Data("hello".utf8)
        let body: [UInt8] = try envelope.serializedBytes()
        // Move the payload field (last) to the front: still a valid encoding.
        let payloadField = Array(body.suffix(7))
        let reordered = payloadField + body.dropLast(7)
        let decoded = try EnvelopeCodec.decode(body: ByteBuffer(bytes: reordered))
        #expect(decoded.streamID == 3)
        #expect(String(buffer: decoded.payload) == "hello")
    }

    @Test("byte-by-byte and all-at-once input decode the same frames")
    func verifier() throws {
        let frames = [
            Self.callStart(1, method: "a.B/C", payload: "x"),
            Frame.message(stream: 1, payload: ByteBuffer(string: String(repeating: "心", count: 300))),
            Frame.end(stream: 1, code: .ok),
            Frame.ping(42),
        ]
        let input = Self.encoded(frames)
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: [(input, frames.map(EquatableFrame.init))]) {
            FrameDecoderAdapter()
        }
    }

    @Test("an oversized length is rejected from the 5-byte header alone")
    func oversize() throws {
        var buffer = ByteBuffer(bytes: [0x00, 0x7F, 0xFF, 0xFF, 0xFF])  // claims 2 GiB, sends none of it
        #expect(throws: FrameError.frameTooLarge(length: 0x7FFF_FFFF, limit: 1024)) {
            _ = try FrameDecoder(maxFrameBytes: 1024).next(from: &buffer)
        }
        // Nothing was consumed or buffered beyond the header.
        #expect(buffer.readableBytes == 5)
    }

    @Test("through a channel, an oversized frame is an error before the body arrives")
    func oversizeInChannel() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maxFrameBytes: 16)))
        #expect(throws: FrameError.frameTooLarge(length: 1 << 20, limit: 16)) {
            try channel.writeInbound(ByteBuffer(bytes: [0x00, 0x00, 0x10, 0x00, 0x00]))
        }
        _ = try? channel.finish()
    }

    @Test("a partial frame waits; a frame cut off by EOF is reported as truncated")
    func truncated() throws {
        let whole = Self.encoded([Self.callStart(1, method: "a.B/C", payload: "abcdef")])
        var partial = whole.getSlice(at: 0, length: whole.readableBytes - 3)!
        #expect(try FrameDecoder().next(from: &partial) == nil)

        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        try channel.writeInbound(whole.getSlice(at: 0, length: whole.readableBytes - 3)!)
        #expect(throws: FrameError.truncated(missingBytes: 3)) { try channel.finish() }
    }

    @Test("non-zero flags are refused")
    func flags() {
        var buffer = ByteBuffer(bytes: [0x01, 0x00, 0x00, 0x00, 0x00])
        #expect(throws: FrameError.unsupportedFlags(1)) { _ = try FrameDecoder().next(from: &buffer) }
    }

    @Test("garbage bodies are malformed, never a crash", arguments: [
        [UInt8]([0xFF, 0xFF, 0xFF]),              // varint runs off the end
        [0x7A, 0x10, 0x01],                       // payload claims 16 bytes, has 1
        [0x0B],                                   // group wire type
        [0x00],                                   // field number 0
        [0x22, 0x02, 0xFF, 0xFF],                 // call_start with broken content
        [0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],  // 11-byte varint
    ])
    func garbage(body: [UInt8]) {
        var buffer = ByteBuffer(bytes: [0x00, 0x00, 0x00, 0x00, UInt8(body.count)] + body)
        #expect(throws: FrameError.self) { _ = try FrameDecoder().next(from: &buffer) }
    }

    @Test("random bytes never crash the decoder")
    func fuzz() {
        var generator = SeededRandom("random bytes never crash the decoder")
        for _ in 0..<2000 {
            let count = Int.random(in: 0...64, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if bytes.count >= 5 { bytes[0] = 0; bytes[1] = 0; bytes[2] = 0; bytes[3] = 0; bytes[4] = UInt8(bytes.count - 5) }
            var buffer = ByteBuffer(bytes: bytes)
            _ = try? FrameDecoder(maxFrameBytes: 1 << 16).next(from: &buffer)
        }
    }
}

/// Frame made Equatable for the verifier (protobuf messages are Equatable; buffers by content).
struct EquatableFrame: Equatable {
    let envelope: Xinyu_Wire_V1_Envelope
    let payload: [UInt8]
    init(_ frame: Frame) {
        envelope = frame.envelope
        payload = Array(frame.payload.readableBytesView)
    }
}

/// Adapts FrameDecoder's output to EquatableFrame for ByteToMessageDecoderVerifier.
struct FrameDecoderAdapter: ByteToMessageDecoder {
    typealias InboundOut = EquatableFrame
    var inner = FrameDecoder()

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try inner.next(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(EquatableFrame(frame)))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }
}
