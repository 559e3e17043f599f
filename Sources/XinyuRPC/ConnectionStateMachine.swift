import NIOCore
import XinyuWire

/// The calls of one connection after its handshake, as a pure state machine: feed it what
/// happens (a frame arrived, this side starts, answers, cancels or goes away, a timer fired,
/// the channel closed) and do what it returns. It does no I/O, owns no timer and reads no
/// clock, so it is tested on its own; ``ConnectionHandler`` is the NIO glue that drives it.
///
/// The rules it enforces are those of docs/PROTOCOL.md §6 and §9:
/// - stream ids: the opener's calls are odd, the acceptor's even, each `call_start` id above
///   every id the peer used before (§6.1); anything else is a connection error;
/// - at most `maxConcurrentStreams` calls served at once; more are refused RESOURCE_EXHAUSTED;
/// - after this side's go_away, new calls are refused UNAVAILABLE and the connection closes
///   once nothing is in flight; after the peer's, this side starts no new calls;
/// - deadlines and cancels end a call on both sides, and later frames for it are dropped;
/// - keepalive: a ping after one silent interval, an error and close after the timeout.
///
/// `Observer` is what hears an outbound call's events, `Timer` a deadline timer's handle:
/// the machine only keeps them with the stream and hands them back (generic, so tests need
/// neither closures nor an event loop).
struct ConnectionStateMachine<Observer, Timer> {
    /// The settings the machine needs from ``ConnectionConfiguration``.
    struct Settings {
        var name: String
        var maxConcurrentStreams: UInt32
        var keepaliveInterval: TimeAmount
        var keepaliveTimeout: TimeAmount

        init(_ configuration: ConnectionConfiguration) {
            name = configuration.name
            maxConcurrentStreams = configuration.maxConcurrentStreams
            keepaliveInterval = configuration.keepaliveInterval
            keepaliveTimeout = configuration.keepaliveTimeout
        }
    }

    private enum Phase {
        /// The handshake is not done: no calls yet.
        case handshaking
        /// Calls flow both ways.
        case open(HandshakeStateMachine.Agreement)
        /// This side sent go_away: no new inbound calls; closes when nothing is in flight.
        case draining(HandshakeStateMachine.Agreement)
        /// Closing or closed: every frame is ignored, every local call refused.
        case closing
    }

    private struct Outbound {
        var observer: Observer
        var timer: Timer?
        let method: String
        let timeoutMicros: UInt64
    }

    private struct Inbound {
        var timer: Timer?
        let method: String
        let timeoutMicros: UInt64
    }

    let role: HandshakeStateMachine.Role
    let settings: Settings
    private var phase = Phase.handshaking
    private var nextStreamID: UInt32
    private var outbound: [UInt32: Outbound] = [:]
    private var inbound: [UInt32: Inbound] = [:]
    /// The highest call_start id the peer has used, accepted or not: the next must be higher.
    private var highestPeerStreamID: UInt32 = 0
    /// The highest id of a call this side accepted: go_away's `last_stream_id`.
    private var lastAcceptedStreamID: UInt32 = 0
    private var lastReceived: NIODeadline
    private(set) var peerGoingAway = false
    /// Why the connection closed or is closing; the first reason recorded wins.
    private(set) var closeReason: String?

    init(role: HandshakeStateMachine.Role, settings: Settings, now: NIODeadline) {
        self.role = role
        self.settings = settings
        self.nextStreamID = role == .opener ? 1 : 2
        self.lastReceived = now
    }

    /// Calls in flight in both directions.
    var inFlightCount: Int { inbound.count + outbound.count }

    /// True while calls may be started and served (after the handshake, before closing).
    var isEstablished: Bool {
        switch phase {
        case .open, .draining: true
        case .handshaking, .closing: false
        }
    }

    /// Keeps `reason` as the close reason unless one is already known.
    mutating func recordCloseReason(_ reason: String) {
        if closeReason == nil { closeReason = reason }
    }

    // MARK: Handshake done

    /// The handshake completed: calls may flow. `now` starts the keepalive clock.
    mutating func established(_ agreement: HandshakeStateMachine.Agreement, now: NIODeadline) {
        guard case .handshaking = phase else { return }
        phase = .open(agreement)
        lastReceived = now
    }

    // MARK: Frames received

    /// What to do with a frame that arrived after the handshake.
    enum ReceiveAction {
        /// Nothing (a pong, a frame for a call no longer live, anything while closing).
        case none
        /// Write this frame (a pong).
        case write(Frame)
        /// A new call to serve: arm its deadline timer (if any) and hand it to the delegate.
        case serve(streamID: UInt32, timeout: TimeAmount?)
        /// A call_start refused without serving it: write this `end` (its only frame).
        case refuse(Frame)
        /// A response for a call this side started.
        case deliver(Observer, CallEvent)
        /// A call this side started is over: cancel its timer, tell its observer.
        case finish(Observer, CallStatus, Timer?)
        /// The peer cancelled a call this side serves: write the `end`, cancel the timer,
        /// tell the delegate.
        case abandon(streamID: UInt32, answer: Frame, because: RPCError, Timer?)
        /// The peer sent go_away.
        case peerGoingAway(reason: String)
        /// The peer sent an `error` frame: close (the reason is recorded).
        case closedByPeer
        /// The frame broke the protocol: send an `error` frame and close.
        case fail(RPCTransportError)
    }

    /// Feeds one frame received after the handshake. `now` is when it arrived (keepalive).
    mutating func receive(_ frame: Frame, now: NIODeadline) -> ReceiveAction {
        lastReceived = now
        guard isEstablished else { return .none }
        switch frame.envelope.kind {
        case .callStart(let start): return receiveCallStart(frame.streamID, start)
        case .message:
            // A message for a call already given up here (cancelled, deadline) is dropped.
            guard let call = outbound[frame.streamID] else { return .none }
            return .deliver(call.observer, .message(frame.payload))
        case .end(let end):
            guard let call = outbound.removeValue(forKey: frame.streamID) else { return .none }
            return .finish(call.observer, CallStatus(code: StatusCode(rawValue: end.code), message: end.message, trailers: end.trailers), call.timer)
        case .cancel(let cancel):
            let reason = cancel.reason.isEmpty ? "cancelled by the caller" : "cancelled by the caller: \(cancel.reason)"
            guard let abandoned = abandonInbound(frame.streamID, RPCError(.cancelled, reason)) else { return .none }
            return .abandon(streamID: frame.streamID, answer: abandoned.answer, because: abandoned.error, abandoned.timer)
        case .ping(let ping): return .write(.pong(ping.opaque))
        case .pong: return .none
        case .goAway(let goAway):
            guard !peerGoingAway else { return .none }
            peerGoingAway = true
            return .peerGoingAway(reason: goAway.reason)
        case .error(let error):
            recordCloseReason("peer closed the connection: \(StatusCode(rawValue: error.code).name): \(error.message)")
            phase = .closing
            return .closedByPeer
        case .hello, .welcome, .none:
            return fail(.protocolViolation, .failedPrecondition, "protocol error: unexpected \(frame.kindName) frame after the handshake")
        }
    }

    private mutating func receiveCallStart(_ id: UInt32, _ start: Xinyu_Wire_V1_CallStart) -> ReceiveAction {
        let peerParity: UInt32 = role == .opener ? 0 : 1
        guard id != 0, id % 2 == peerParity, id > highestPeerStreamID else {
            return fail(.protocolViolation, .invalidArgument, "protocol error: stream id \(id) is not valid for a new call from this peer")
        }
        highestPeerStreamID = id
        if case .draining = phase {
            return .refuse(.end(stream: id, code: .unavailable, message: "\(settings.name) is shutting down; retry on a new connection"))
        }
        guard inbound.count < Int(settings.maxConcurrentStreams) else {
            return .refuse(.end(
                stream: id, code: .resourceExhausted,
                message: "too many calls in flight on this connection (limit \(settings.maxConcurrentStreams)); wait for some to finish"))
        }
        lastAcceptedStreamID = id
        inbound[id] = Inbound(timer: nil, method: start.method, timeoutMicros: start.timeoutMicros)
        let timeout = start.timeoutMicros > 0 ? TimeAmount.microseconds(Int64(clamping: start.timeoutMicros)) : nil
        return .serve(streamID: id, timeout: timeout)
    }

    /// Keeps the deadline timer of a call this side serves, to cancel it when the call ends.
    mutating func armInbound(_ id: UInt32, timer: Timer) {
        inbound[id]?.timer = timer
    }

    // MARK: Calls this side serves

    /// An inbound call given up on: the `end` to write, the reason, its timer.
    struct Abandoned {
        var answer: Frame
        var error: RPCError
        var timer: Timer?
    }

    /// The deadline of a call this side serves passed: answer DEADLINE_EXCEEDED, stop it.
    mutating func inboundDeadlinePassed(_ id: UInt32) -> Abandoned? {
        guard let call = inbound[id] else { return nil }
        let error = RPCError(.deadlineExceeded, "deadline of \(call.timeoutMicros / 1000) ms passed before \(call.method) finished")
        var abandoned = abandonInbound(id, error)
        abandoned?.timer = nil  // it has fired
        return abandoned
    }

    private mutating func abandonInbound(_ id: UInt32, _ error: RPCError) -> Abandoned? {
        guard let call = inbound.removeValue(forKey: id) else { return nil }
        return Abandoned(answer: .end(stream: id, code: error.code, message: error.message), error: error, timer: call.timer)
    }

    /// What to do with a response message of a call this side serves.
    enum SendAction {
        /// The call is not live (ended, cancelled, deadline passed): drop the message.
        case drop
        /// Write this `message` frame.
        case write(Frame)
        /// The message is larger than the peer reads: the call ends RESOURCE_EXHAUSTED with
        /// this `end` instead; cancel the timer.
        case endTooLarge(Frame, Timer?)
    }

    /// This side answers a call it serves with one message.
    mutating func sendMessage(_ id: UInt32, _ payload: ByteBuffer) -> SendAction {
        guard inbound[id] != nil, let agreement else { return .drop }
        // 16 bytes cover the envelope around the payload: stream id, kind, field 15's tag and length.
        guard payload.readableBytes + 16 <= Int(agreement.peerMaxFrameBytes) else {
            let error = RPCError(
                .resourceExhausted, "response of \(payload.readableBytes) bytes exceeds the caller's frame limit of \(agreement.peerMaxFrameBytes) bytes")
            guard let ended = endInbound(id, CallStatus(error)) else { return .drop }
            return .endTooLarge(ended.frame, ended.timer)
        }
        return .write(.message(stream: id, payload: payload))
    }

    /// This side ends a call it serves: the `end` frame to write and the timer to cancel, or
    /// nil when the call is no longer live (its answer is dropped).
    mutating func endInbound(_ id: UInt32, _ status: CallStatus) -> (frame: Frame, timer: Timer?)? {
        guard let call = inbound.removeValue(forKey: id) else { return nil }
        return (.end(stream: id, code: status.code, message: status.message, trailers: status.trailers), call.timer)
    }

    // MARK: Calls this side starts

    /// What to do with a call this side starts.
    enum StartAction {
        /// Write this `call_start` and arm a deadline timer for `timeout` (when set).
        case send(streamID: UInt32, Frame, timeout: TimeAmount?)
        /// The call cannot start: tell the observer this status (it is not on the wire).
        case fail(Observer, CallStatus)
    }

    /// This side starts a call.
    mutating func startCall(_ start: Xinyu_Wire_V1_CallStart, payload: ByteBuffer, observer: Observer) -> StartAction {
        guard let agreement else {
            let why = if case .closing = phase { "connection is closing" } else { "connection is not ready" }
            return .fail(observer, CallStatus(RPCError(.unavailable, closeReason ?? why)))
        }
        if case .draining = phase {
            return .fail(observer, CallStatus(RPCError(.unavailable, "this side is shutting down this connection; retry on a new connection")))
        }
        guard !peerGoingAway else {
            return .fail(observer, CallStatus(RPCError(.unavailable, "\(agreement.peerName) is shutting down this connection; retry")))
        }
        // 64 bytes cover the envelope and call_start around the method name and payload.
        guard payload.readableBytes + start.method.utf8.count + 64 <= Int(agreement.peerMaxFrameBytes) else {
            return .fail(observer, CallStatus(RPCError(
                .resourceExhausted, "request of \(payload.readableBytes) bytes exceeds the peer's frame limit of \(agreement.peerMaxFrameBytes) bytes")))
        }
        guard nextStreamID <= UInt32.max - 2 else {
            return .fail(observer, CallStatus(RPCError(.unavailable, "this connection has used all its stream ids; retry on a new connection")))
        }
        let id = nextStreamID
        nextStreamID += 2
        outbound[id] = Outbound(observer: observer, timer: nil, method: start.method, timeoutMicros: start.timeoutMicros)
        let timeout = start.timeoutMicros > 0 ? TimeAmount.microseconds(Int64(clamping: start.timeoutMicros)) : nil
        return .send(streamID: id, .callStart(stream: id, start: start, payload: payload), timeout: timeout)
    }

    /// Keeps the deadline timer of a call this side started, to cancel it when the call ends.
    mutating func armOutbound(_ id: UInt32, timer: Timer) {
        outbound[id]?.timer = timer
    }

    /// An outbound call given up on: tell the peer with `cancel`, the observer with `status`.
    struct GivenUp {
        var observer: Observer
        var cancel: Frame
        var status: CallStatus
        var timer: Timer?
    }

    /// This side gives up on a call it started.
    mutating func cancelOutbound(_ id: UInt32, reason: String) -> GivenUp? {
        giveUp(id, RPCError(.cancelled, reason.isEmpty ? "cancelled" : reason))
    }

    /// The deadline of a call this side started passed.
    mutating func outboundDeadlinePassed(_ id: UInt32) -> GivenUp? {
        guard let call = outbound[id] else { return nil }
        var givenUp = giveUp(id, RPCError(.deadlineExceeded, "deadline of \(call.timeoutMicros / 1000) ms passed waiting for \(call.method)"))
        givenUp?.timer = nil  // it has fired
        return givenUp
    }

    private mutating func giveUp(_ id: UInt32, _ error: RPCError) -> GivenUp? {
        guard let call = outbound.removeValue(forKey: id) else { return nil }
        return GivenUp(observer: call.observer, cancel: .cancel(stream: id, reason: error.message), status: CallStatus(error), timer: call.timer)
    }

    // MARK: Keepalive

    /// What the periodic keepalive check decided.
    enum KeepaliveAction {
        /// Traffic is recent: nothing to do.
        case none
        /// Nothing arrived for an interval: write this ping.
        case ping(Frame)
        /// Nothing arrived for the timeout: send an `error` frame and close.
        case fail(RPCTransportError)
    }

    /// The keepalive timer fired at `now`.
    mutating func keepaliveTick(now: NIODeadline) -> KeepaliveAction {
        guard isEstablished else { return .none }
        let silent = now - lastReceived
        if silent >= settings.keepaliveTimeout {
            let error = RPCTransportError(.keepaliveTimeout, .unavailable, "peer stopped answering pings for \(silent.nanoseconds / 1_000_000) ms")
            return failConnection(error).map { .fail($0) } ?? .none
        }
        if silent >= settings.keepaliveInterval {
            return .ping(.ping(UInt64(truncatingIfNeeded: now.uptimeNanoseconds)))
        }
        return .none
    }

    // MARK: Closing

    /// This side goes away: the `go_away` frame to write, or nil when it already did (or the
    /// connection is not open).
    mutating func goAway(reason: String) -> Frame? {
        guard case .open(let agreement) = phase else { return nil }
        phase = .draining(agreement)
        return .goAway(lastStreamID: lastAcceptedStreamID, reason: reason)
    }

    /// True once, when this side has gone away and nothing is in flight any more: close now.
    mutating func closeIfDrained() -> Bool {
        guard case .draining = phase, inbound.isEmpty, outbound.isEmpty else { return false }
        recordCloseReason("closed after go_away")
        phase = .closing
        return true
    }

    /// This side fails the connection: from now on frames are ignored. Returns the error
    /// for the `error` frame, or nil when the connection is already closing.
    mutating func failConnection(_ error: RPCTransportError) -> RPCTransportError? {
        if case .closing = phase { return nil }
        recordCloseReason("\(error.code.name): \(error.message)")
        phase = .closing
        return error
    }

    /// This side closes the connection now (no `error` frame).
    mutating func close(reason: String) {
        recordCloseReason(reason)
        phase = .closing
    }

    /// Every call still live when the channel closed, each to be ended UNAVAILABLE with the
    /// close reason. The machine is empty and closed afterwards.
    mutating func channelClosed() -> (reason: String, outbound: [(Observer, Timer?)], inbound: [(UInt32, Timer?)]) {
        recordCloseReason("connection closed by peer")
        phase = .closing
        let calls = outbound.values.map { ($0.observer, $0.timer) }
        let served = inbound.map { ($0.key, $0.value.timer) }
        outbound.removeAll()
        inbound.removeAll()
        return (closeReason ?? "connection closed by peer", calls, served)
    }

    /// Stream ids of live calls, for logs.
    var liveStreamIDs: (inbound: [UInt32], outbound: [UInt32]) { (inbound.keys.sorted(), outbound.keys.sorted()) }

    private var agreement: HandshakeStateMachine.Agreement? {
        switch phase {
        case .open(let agreement), .draining(let agreement): agreement
        case .handshaking, .closing: nil
        }
    }

    private mutating func fail(_ kind: RPCTransportError.Kind, _ code: StatusCode, _ message: String) -> ReceiveAction {
        guard let error = failConnection(RPCTransportError(kind, code, message)) else { return .none }
        return .fail(error)
    }
}
