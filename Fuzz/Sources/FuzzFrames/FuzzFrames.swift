import CFuzzDriver
import NIOCore
@testable import XinyuWire

/// The program's entry in a debug build, where SwiftPM points `main` here: runs libFuzzer on
/// ``fuzzFrames(_:_:)``. (A release build links libFuzzer's own `main`, which finds
/// `LLVMFuzzerTestOneInput`.)
@_cdecl("FuzzFrames_main")
public func fuzzFramesMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzFrames(data!, size) }
}

/// libFuzzer entry: the input is a byte stream as a peer would send it.
///
/// 1. The stream is read with ``FrameDecoder`` twice, once whole and once in chunks (chunk size
///    from the first byte): both must give the same frames and the same error, since TCP may
///    split bytes anywhere.
/// 2. Every frame read must survive a round trip: encoded again and decoded, it is the same frame.
/// 3. The frames drive both ends of a handshake (``HandshakeStateMachine``), so every envelope
///    kind reaches it in every state (frames after the handshake: the connection harness).
///
/// Any trap (overflow, bad index, force unwrap) or failed invariant is a crash libFuzzer keeps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrames(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let first = bytes.first else { return 0 }
    let chunk = Int(first % 16) + 1
    let stream = Array(bytes.dropFirst())

    let whole = decodeAll(stream, chunk: nil)
    let chunked = decodeAll(stream, chunk: chunk)
    guard whole.frames.count == chunked.frames.count, whole.error == chunked.error else {
        fatalError("chunked decoding differs: \(whole.frames.count) frames / \(String(describing: whole.error)) whole, \(chunked.frames.count) / \(String(describing: chunked.error)) in chunks of \(chunk)")
    }
    for (a, b) in zip(whole.frames, chunked.frames) where !same(a, b) {
        fatalError("chunked decoding gave a different frame")
    }
    if let error = whole.error { _ = (error.description, error.statusCode) }
    for frame in whole.frames { roundTrip(frame) }

    for role in [HandshakeStateMachine.Role.acceptor, .opener] {
        drive(role: role, frames: whole.frames)
    }
    return 0
}

/// The frames of the stream until the first error or the first incomplete frame.
private func decodeAll(_ stream: [UInt8], chunk: Int?) -> (frames: [Frame], error: FrameError?) {
    let decoder = FrameDecoder(maxFrameBytes: 1 << 16)
    var frames: [Frame] = []
    var buffer = ByteBuffer()
    var offset = 0
    repeat {
        let end = chunk.map { min(stream.count, offset + $0) } ?? stream.count
        buffer.writeBytes(stream[offset..<end])
        offset = end
        do {
            while let frame = try decoder.next(from: &buffer) {
                guard frame.envelope.payload.isEmpty else { fatalError("decoded envelope kept its payload inside") }
                frames.append(frame)
            }
        } catch {
            return (frames, error)
        }
    } while offset < stream.count
    return (frames, nil)
}

/// Encoding a decoded frame and decoding it again gives the same frame, all bytes used.
private func roundTrip(_ frame: Frame) {
    var encoded = ByteBuffer()
    EnvelopeCodec.encode(frame, into: &encoded)
    let length = encoded.readableBytes
    do {
        guard let again = try FrameDecoder(maxFrameBytes: UInt32.max).next(from: &encoded) else {
            fatalError("re-encoded frame of \(length) bytes is incomplete")
        }
        guard encoded.readableBytes == 0 else { fatalError("re-encoded frame left \(encoded.readableBytes) bytes") }
        guard same(frame, again) else { fatalError("re-encoded frame decodes differently") }
    } catch {
        fatalError("re-encoded frame does not decode: \(error)")
    }
}

private func same(_ a: Frame, _ b: Frame) -> Bool {
    a.envelope == b.envelope && a.payload == b.payload
}

/// Feeds the frames to one end's handshake; the calls after it are the connection harness's.
private func drive(role: HandshakeStateMachine.Role, frames: [Frame]) {
    var limits = Xinyu_Wire_V1_Limits()
    limits.maxFrameBytes = 1 << 16
    var handshake = HandshakeStateMachine(role: role, name: "fuzz", limits: limits)
    _ = handshake.start()
    for frame in frames {
        var action = handshake.receive(frame.envelope)
        if case .authenticate = action {
            action = handshake.accept(principal: Xinyu_Wire_V1_Principal(), keepaliveIntervalMs: 10_000)
        }
        switch action {
        case .fail(let error), .closeRefused(let error):
            _ = (error.code, error.message)
            return
        case .send, .authenticate, .sendAndEstablish, .establish:
            continue
        }
    }
}
