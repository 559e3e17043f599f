import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing
@testable import XinyuRPC
@testable import XinyuWire

/// One side of a connection on an `EmbeddedChannel`, with the test playing the peer: frames
/// are written in as bytes and read back as bytes, through the real codec and handler, and
/// time moves only when the test advances the embedded loop's clock. No sockets, no sleeps.
///
/// The side under test is the opener (it sends hello, the test answers welcome), so the peer
/// (the test) starts even-numbered calls; the acceptor's parity is covered by the state
/// machine tests.
struct EmbeddedConnection {
    let channel: EmbeddedChannel
    let connection: RPCConnection
    let delegate: RecordingDelegate
    let established: EventLoopFuture<Void>

    var loop: EmbeddedEventLoop { channel.embeddedEventLoop }

    static func configuration(_ adjust: (inout ConnectionConfiguration) -> Void = { _ in }) -> ConnectionConfiguration {
        var configuration = ConnectionConfiguration(name: "test-side")
        adjust(&configuration)
        return configuration
    }

    /// Opens the connection and, unless `handshake` is false, completes the handshake.
    init(configuration: ConnectionConfiguration = Self.configuration(), handshake: Bool = true) throws {
        channel = EmbeddedChannel()
        delegate = RecordingDelegate()
        let added = try channel.addRPCHandlers(
            role: .opener, configuration: configuration, delegate: delegate, logger: Logger(label: "xinyu.rpc.test"))
        connection = added.0
        established = added.1
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 7000)).wait()
        let hello = try readFrames()
        #expect(hello.map(\.kindName) == ["hello"])
        if handshake {
            try write(Self.welcome())
            try established.wait()
        }
    }

    static func welcome(peerName: String = "test-peer", maxFrameBytes: UInt32 = 1 << 20) -> Frame {
        var welcome = Xinyu_Wire_V1_Welcome()
        welcome.version = 1
        welcome.peerName = peerName
        welcome.limits.maxFrameBytes = maxFrameBytes
        welcome.limits.maxConcurrentStreams = 8
        welcome.keepaliveIntervalMs = 10_000
        var envelope = Xinyu_Wire_V1_Envelope()
        envelope.welcome = welcome
        return Frame(envelope)
    }

    /// Writes frames in as the peer would, all in one read.
    func write(_ frames: Frame...) throws {
        var bytes = ByteBuffer()
        for frame in frames { EnvelopeCodec.encode(frame, into: &bytes) }
        try channel.writeInbound(bytes)
    }

    /// Writes raw bytes in as the peer would.
    func writeBytes(_ bytes: [UInt8]) throws {
        try channel.writeInbound(ByteBuffer(bytes: bytes))
    }

    /// Every frame this side has written since the last call, after running queued work.
    func readFrames() throws -> [Frame] {
        loop.run()
        var bytes = ByteBuffer()
        while var chunk = try channel.readOutbound(as: ByteBuffer.self) { bytes.writeBuffer(&chunk) }
        var frames: [Frame] = []
        let decoder = FrameDecoder()
        while let frame = try decoder.next(from: &bytes) { frames.append(frame) }
        return frames
    }

    /// Starts a call from this side and returns its recorder.
    func startCall(_ method: String = "xinyu.test.v1.Test/Echo", timeout: Duration? = nil, payload: String = "ping") -> CallRecorder {
        let recorder = CallRecorder()
        recorder.handle = connection.startCall(
            CallOptions(timeout: timeout).callStart(method: method), payload: ByteBuffer(string: payload)
        ) { event in recorder.record(event) }
        loop.run()
        return recorder
    }

    /// Lets `amount` of time pass on the embedded loop, running timers that fall due.
    func advance(by amount: TimeAmount) {
        loop.advanceTime(by: amount)
    }

    var isOpen: Bool { channel.isActive }
}

// MARK: Frames the peer sends

enum PeerFrame {
    static func callStart(_ id: UInt32, method: String = "xinyu.test.v1.Test/Echo", timeoutMicros: UInt64 = 0, payload: String = "hi") -> Frame {
        var start = Xinyu_Wire_V1_CallStart()
        start.method = method
        start.timeoutMicros = timeoutMicros
        return .callStart(stream: id, start: start, payload: ByteBuffer(string: payload))
    }

    static func cancel(_ id: UInt32, reason: String = "") -> Frame { .cancel(stream: id, reason: reason) }

    static func error(_ code: StatusCode, _ message: String) -> Frame { .connectionError(code: code, message: message) }
}

extension Frame {
    /// The `end` this frame carries, if it is one.
    var endStatus: CallStatus? {
        guard case .end(let end) = envelope.kind else { return nil }
        return CallStatus(code: StatusCode(rawValue: end.code), message: end.message, trailers: end.trailers)
    }

    /// The `error` this frame carries, if it is one.
    var connectionError: (code: StatusCode, message: String)? {
        guard case .error(let error) = envelope.kind else { return nil }
        return (StatusCode(rawValue: error.code), error.message)
    }
}

// MARK: Recorders

/// Hears the events of one call this side started.
final class CallRecorder: Sendable {
    private let events = NIOLockedValueBox<[CallEvent]>([])
    private let handleBox = NIOLockedValueBox<OutboundCallHandle?>(nil)

    var handle: OutboundCallHandle? {
        get { handleBox.withLockedValue { $0 } }
        set { handleBox.withLockedValue { $0 = newValue } }
    }

    func record(_ event: CallEvent) { events.withLockedValue { $0.append(event) } }

    /// Every end heard (there must be at most one).
    var ends: [CallStatus] {
        events.withLockedValue { $0.compactMap { if case .end(let status) = $0 { status } else { nil } } }
    }

    /// Every message heard, as text.
    var messages: [String] {
        events.withLockedValue { $0.compactMap { if case .message(let bytes) = $0 { String(buffer: bytes) } else { nil } } }
    }
}

/// Records what the connection tells its owner; serves nothing by itself.
final class RecordingDelegate: RPCConnectionDelegate {
    private let state = NIOLockedValueBox(State())

    struct State {
        var started: [InboundCall] = []
        var abandoned: [(streamID: UInt32, status: CallStatus)] = []
        var peerGoingAway: [String] = []
        var closed: [String] = []
    }

    var started: [InboundCall] { state.withLockedValue { $0.started } }
    var abandoned: [(streamID: UInt32, status: CallStatus)] { state.withLockedValue { $0.abandoned } }
    var peerGoingAwayReasons: [String] { state.withLockedValue { $0.peerGoingAway } }
    var closedReasons: [String] { state.withLockedValue { $0.closed } }

    func callStarted(_ call: InboundCall) { state.withLockedValue { $0.started.append(call) } }
    func callAbandoned(streamID: UInt32, on connection: RPCConnection, because status: CallStatus) {
        state.withLockedValue { $0.abandoned.append((streamID, status)) }
    }
    func peerGoingAway(_ connection: RPCConnection, reason: String) { state.withLockedValue { $0.peerGoingAway.append(reason) } }
    func connectionClosed(_ connection: RPCConnection, reason: String) { state.withLockedValue { $0.closed.append(reason) } }
}
