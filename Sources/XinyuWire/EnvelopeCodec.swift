import NIOCore
import SwiftProtobuf

/// Turns envelope bytes into a ``Frame`` and back without touching the payload bytes.
///
/// The payload is field 15 (`bytes`). Decoding walks the envelope's top-level fields once,
/// slices the payload out of the buffer (no copy) and parses the rest, which is small, with
/// swift-protobuf. Encoding writes the small envelope and then field 15 by hand. Both produce
/// and accept ordinary protobuf, so any protobuf library can read and write frames.
public enum EnvelopeCodec {
    /// Parses one frame body. `body` must hold exactly the envelope bytes.
    public static func decode(body: ByteBuffer) throws(FrameError) -> Frame {
        var scan = body
        var payload: ByteBuffer? = nil
        var payloadRange: Range<Int>? = nil
        let start = scan.readerIndex
        while scan.readableBytes > 0 {
            let fieldStart = scan.readerIndex - start
            let tag = try readVarint(&scan)
            let fieldNumber = tag >> 3
            let wireType = tag & 7
            if fieldNumber == 0 { throw .malformedEnvelope("field number 0 at byte \(fieldStart)") }
            switch wireType {
            case 0: _ = try readVarint(&scan)
            case 1: try skip(&scan, 8)
            case 5: try skip(&scan, 4)
            case 2:
                let length = try readVarint(&scan)
                guard length <= UInt64(scan.readableBytes) else {
                    throw .malformedEnvelope("field \(fieldNumber) claims \(length) bytes, only \(scan.readableBytes) remain")
                }
                if fieldNumber == WireProtocol.payloadFieldNumber {
                    // Protobuf says the last occurrence of a bytes field wins.
                    payload = scan.readSlice(length: Int(length))
                    payloadRange = fieldStart..<(scan.readerIndex - start)
                } else {
                    try skip(&scan, Int(length))
                }
            default:
                throw .malformedEnvelope("unsupported wire type \(wireType) for field \(fieldNumber)")
            }
        }
        let header = headerBytes(body: body, excluding: payloadRange)
        do {
            let envelope = try Xinyu_Wire_V1_Envelope(serializedBytes: header)
            return Frame(envelope, payload: payload ?? ByteBuffer())
        } catch {
            throw .malformedEnvelope("\(error)")
        }
    }

    /// Writes `frame` as a complete frame (flags, length, envelope) into `out`.
    public static func encode(_ frame: Frame, into out: inout ByteBuffer) {
        var envelope = frame.envelope
        envelope.payload = .init()
        // Serialising a message without unknown fields and with set-once fields cannot fail.
        let header: [UInt8] = (try? envelope.serializedBytes()) ?? []
        let payloadLength = frame.payload.readableBytes
        var bodyLength = header.count
        if payloadLength > 0 {
            bodyLength += 1 + varintSize(UInt64(payloadLength)) + payloadLength
        }
        out.reserveCapacity(minimumWritableBytes: WireProtocol.frameHeaderSize + bodyLength)
        out.writeInteger(UInt8(0))
        out.writeInteger(UInt32(bodyLength), endianness: .big)
        out.writeBytes(header)
        if payloadLength > 0 {
            out.writeInteger(UInt8((WireProtocol.payloadFieldNumber << 3) | 2))
            writeVarint(UInt64(payloadLength), into: &out)
            var payload = frame.payload
            out.writeBuffer(&payload)
        }
    }

    /// The envelope bytes with the payload field cut out. In the usual case the payload is
    /// last, so this is a prefix; otherwise the two sides are joined.
    private static func headerBytes(body: ByteBuffer, excluding range: Range<Int>?) -> [UInt8] {
        guard let range else { return Array(body.readableBytesView) }
        let view = body.readableBytesView
        let base = view.startIndex
        var bytes = Array(view[base..<(base + range.lowerBound)])
        if range.upperBound < view.count {
            bytes.append(contentsOf: view[(base + range.upperBound)...])
        }
        return bytes
    }

    private static func readVarint(_ buffer: inout ByteBuffer) throws(FrameError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard let byte = buffer.readInteger(as: UInt8.self) else {
                throw .malformedEnvelope("varint runs past the end of the envelope")
            }
            if shift == 63 && byte > 1 { throw .malformedEnvelope("varint longer than 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw .malformedEnvelope("varint longer than 10 bytes") }
        }
    }

    private static func skip(_ buffer: inout ByteBuffer, _ count: Int) throws(FrameError) {
        guard buffer.readableBytes >= count else {
            throw .malformedEnvelope("field runs past the end of the envelope")
        }
        buffer.moveReaderIndex(forwardBy: count)
    }

    static func writeVarint(_ value: UInt64, into out: inout ByteBuffer) {
        var v = value
        while v >= 0x80 {
            out.writeInteger(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.writeInteger(UInt8(v))
    }

    static func varintSize(_ value: UInt64) -> Int {
        var v = value
        var n = 1
        while v >= 0x80 { v >>= 7; n += 1 }
        return n
    }
}
