import CFuzzDriver
import Logging
import NIOCore
import NIOEmbedded
@testable import XinyuRPC
@testable import XinyuWire

/// The program's entry in a debug build, where SwiftPM points `main` here: runs libFuzzer on
/// ``fuzzConnection(_:_:)``. (A release build links libFuzzer's own `main`, which finds
/// `LLVMFuzzerTestOneInput`.)
@_cdecl("FuzzConnection_main")
public func fuzzConnectionMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzConnection(data!, size) }
}

/// libFuzzer entry: the input is everything a peer sends on one connection after our hello,
/// welcome included, fed through the real pipeline (``FrameDecoder`` → ``ConnectionHandler``)
/// on an `EmbeddedChannel`, in reads whose size comes from the first byte.
///
/// Calls the peer starts are answered at once (a message then an end), so answers, ends and
/// cancels cross in every order; time moves between reads so deadlines and keepalive fire.
/// Invariant: every byte this side writes is a well-formed frame stream. The same frames also go
/// straight into both ends' pure state machines (``machines(_:)``), where no channel filters
/// them. Any trap or failed invariant is a crash libFuzzer keeps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConnection(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let first = bytes.first else { return 0 }
    let readSize = Int(first & 0x3F) + 1
    let advanceMs = Int64(first >> 6) * 400
    let stream = Array(bytes.dropFirst())
    machines(stream)

    let channel = EmbeddedChannel()
    let delegate = AnsweringDelegate()
    var configuration = ConnectionConfiguration(name: "fuzz")
    configuration.maxFrameBytes = 1 << 16
    configuration.maxConcurrentStreams = 4
    configuration.keepaliveInterval = .milliseconds(500)
    configuration.keepaliveTimeout = .milliseconds(1_500)
    configuration.handshakeTimeout = .milliseconds(1_000)
    var written = Written()
    do {
        let (connection, established) = try channel.addRPCHandlers(
            role: .opener, configuration: configuration, delegate: delegate, logger: Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() }))
        // One call of our own once the welcome is in, so the peer's message/end/cancel frames
        // have a call to hit (a call started before the handshake fails at once).
        established.whenSuccess {
            var start = Xinyu_Wire_V1_CallStart()
            start.method = "xinyu.fuzz.v1.Fuzz/Echo"
            start.timeoutMicros = 700_000
            _ = connection.startCall(start, payload: ByteBuffer(string: "fuzz")) { _ in }
        }
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 7000)).wait()
        written.collect(channel)
        var offset = 0
        while offset < stream.count, channel.isActive {
            let end = min(stream.count, offset + readSize)
            try channel.writeInbound(ByteBuffer(bytes: stream[offset..<end]))
            offset = end
            channel.embeddedEventLoop.run()
            if advanceMs > 0 { channel.embeddedEventLoop.advanceTime(by: .milliseconds(advanceMs)) }
            written.collect(channel)
        }
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
    } catch {
        // A frame error reaches the channel as an error; the handler has answered (an error
        // frame) and closed. What it wrote is checked below like any other run's.
    }
    written.collect(channel)
    _ = try? channel.finish()
    written.collect(channel)
    written.check()
    return 0
}

/// Every byte the connection wrote, to check it reads back as frames.
private struct Written {
    var bytes = ByteBuffer()

    mutating func collect(_ channel: EmbeddedChannel) {
        while let chunk = try? channel.readOutbound(as: ByteBuffer.self) {
            var chunk = chunk
            bytes.writeBuffer(&chunk)
        }
    }

    mutating func check() {
        let decoder = FrameDecoder(maxFrameBytes: UInt32.max)
        do {
            while let _ = try decoder.next(from: &bytes) {}
        } catch {
            fatalError("this side wrote bytes that are not frames: \(error)")
        }
        guard bytes.readableBytes == 0 else { fatalError("this side wrote a partial frame (\(bytes.readableBytes) bytes left)") }
    }
}

/// Answers every call at once with its own payload, then ends it.
private final class AnsweringDelegate: RPCConnectionDelegate {
    func callStarted(_ call: InboundCall) {
        call.connection.reply(call.streamID, payload: ByteBuffer(string: call.method))
    }
}

/// The frames of the stream, welcome or hello first, fed to both ends' handshake and then their
/// ``ConnectionStateMachine`` as a connection would, with answers, deadlines and go-aways mixed in.
private func machines(_ stream: [UInt8]) {
    var buffer = ByteBuffer(bytes: stream)
    var frames: [Frame] = []
    let decoder = FrameDecoder(maxFrameBytes: 1 << 16)
    while let frame = try? decoder.next(from: &buffer) { frames.append(frame) }
    for role in [HandshakeStateMachine.Role.acceptor, .opener] { drive(role: role, frames: frames) }
}

/// Feeds the frames to one end of a connection: handshake first, then calls.
private func drive(role: HandshakeStateMachine.Role, frames: [Frame]) {
    var limits = Xinyu_Wire_V1_Limits()
    limits.maxFrameBytes = 1 << 16
    limits.maxConcurrentStreams = 4
    var handshake = HandshakeStateMachine(role: role, name: "fuzz", limits: limits)
    _ = handshake.start()
    var configuration = ConnectionConfiguration(name: "fuzz")
    configuration.maxConcurrentStreams = 4
    var machine = ConnectionStateMachine<Int, Int>(role: role, settings: .init(configuration), now: .uptimeNanoseconds(0))
    var now = NIODeadline.uptimeNanoseconds(0)
    var rest = frames[...]
    // Handshake.
    while let frame = rest.popFirst() {
        var action = handshake.receive(frame.envelope)
        if case .authenticate = action {
            action = handshake.accept(principal: Xinyu_Wire_V1_Principal(), keepaliveIntervalMs: 10_000)
        }
        switch action {
        case .sendAndEstablish(_, let agreement), .establish(let agreement, _):
            machine.established(agreement, now: now)
        case .fail(let error), .closeRefused(let error):
            _ = error.message
            return
        case .send, .authenticate:
            continue
        }
        break
    }
    guard machine.isEstablished else { return }
    // Calls. This side starts one call of its own so responses have somewhere to go.
    var start = Xinyu_Wire_V1_CallStart()
    start.method = "xinyu.fuzz.v1.Fuzz/Echo"
    start.timeoutMicros = 1_000
    _ = machine.startCall(start, payload: ByteBuffer(string: "fuzz"), observer: 1)
    for frame in rest {
        now = now + .milliseconds(Int64(frame.streamID % 50_000))
        switch machine.receive(frame, now: now) {
        case .serve(let streamID, let timeout):
            machine.armInbound(streamID, timer: Int(streamID))
            // Answer odd-numbered arrivals at once; let the others hit their deadline or a cancel.
            if streamID % 4 < 2 {
                _ = machine.sendMessage(streamID, frame.payload)
                _ = machine.endInbound(streamID, CallStatus(code: .ok, message: ""))
            } else if timeout != nil {
                _ = machine.inboundDeadlinePassed(streamID)
            }
        case .fail, .closedByPeer:
            _ = machine.channelClosed()
            return
        case .peerGoingAway:
            _ = machine.goAway(reason: "fuzz")
            _ = machine.closeIfDrained()
        case .none, .write, .refuse, .deliver, .finish, .abandon:
            break
        }
        _ = machine.keepaliveTick(now: now)
        _ = machine.outboundDeadlinePassed(UInt32(frame.streamID | 1))
    }
    _ = machine.channelClosed()
}
