import NIOCore
import Testing
@testable import XinyuRPC
@testable import XinyuWire

/// The per-connection stream state machine on its own: events in, actions out, no channel,
/// no clock but the `now` the test passes. Observers are strings and timers are integers.
@Suite("Connection state machine")
struct ConnectionStateMachineTests {
    typealias Machine = ConnectionStateMachine<String, Int>

    static let t0 = NIODeadline.uptimeNanoseconds(1_000_000_000)

    static func machine(_ role: HandshakeStateMachine.Role = .opener, maxConcurrentStreams: UInt32 = 8, peerMaxFrameBytes: UInt32 = 1 << 20) -> Machine {
        var configuration = ConnectionConfiguration(name: "me")
        configuration.maxConcurrentStreams = maxConcurrentStreams
        var machine = Machine(role: role, settings: .init(configuration), now: t0)
        machine.established(
            HandshakeStateMachine.Agreement(version: 1, peerName: "peer", peerMaxFrameBytes: peerMaxFrameBytes, peerMaxConcurrentStreams: 8),
            now: t0)
        return machine
    }

    static func start(_ method: String = "x.v1.S/M", timeoutMicros: UInt64 = 0) -> Xinyu_Wire_V1_CallStart {
        var start = Xinyu_Wire_V1_CallStart()
        start.method = method
        start.timeoutMicros = timeoutMicros
        return start
    }

    static func callStart(_ id: UInt32, timeoutMicros: UInt64 = 0) -> Frame {
        .callStart(stream: id, start: start(timeoutMicros: timeoutMicros), payload: ByteBuffer())
    }

    static func served(_ action: Machine.ReceiveAction) -> UInt32? {
        if case .serve(let id, _) = action { id } else { nil }
    }

    static func failure(_ action: Machine.ReceiveAction) -> RPCTransportError? {
        if case .fail(let error) = action { error } else { nil }
    }

    static func refusal(_ action: Machine.ReceiveAction) -> CallStatus? {
        if case .refuse(let frame) = action, case .end(let end)? = frame.envelope.kind {
            CallStatus(code: StatusCode(rawValue: end.code), message: end.message)
        } else {
            nil
        }
    }

    // MARK: Stream ids

    @Test("the opener serves even ids, the acceptor odd ones, each above the last", arguments: [
        (HandshakeStateMachine.Role.opener, [UInt32(2), 4, 10]), (.acceptor, [1, 3, 9]),
    ])
    func validIDs(role: HandshakeStateMachine.Role, ids: [UInt32]) {
        var machine = Self.machine(role)
        for id in ids {
            #expect(Self.served(machine.receive(Self.callStart(id), now: Self.t0)) == id)
        }
    }

    @Test("zero, the wrong parity, a live id, an ended id and a lower id are connection errors", arguments: [
        (HandshakeStateMachine.Role.opener, [UInt32](), UInt32(0)),
        (.opener, [], 1),
        (.acceptor, [], 2),
        (.opener, [2], 2),
        (.opener, [4], 2),
        (.acceptor, [7], 5),
    ])
    func invalidIDs(role: HandshakeStateMachine.Role, before: [UInt32], id: UInt32) {
        var machine = Self.machine(role)
        for earlier in before { _ = machine.receive(Self.callStart(earlier), now: Self.t0) }
        let error = Self.failure(machine.receive(Self.callStart(id), now: Self.t0))
        #expect(error == RPCTransportError(.protocolViolation, .invalidArgument, "protocol error: stream id \(id) is not valid for a new call from this peer"))
    }

    @Test("an id is not reusable after its call ended")
    func noReuseAfterEnd() {
        var machine = Self.machine()
        _ = machine.receive(Self.callStart(2), now: Self.t0)
        #expect(machine.endInbound(2, .ok) != nil)
        #expect(Self.failure(machine.receive(Self.callStart(2), now: Self.t0))?.code == .invalidArgument)
    }

    @Test("after a connection error every later frame is ignored")
    func ignoredAfterFailure() {
        var machine = Self.machine()
        #expect(Self.failure(machine.receive(Self.callStart(1), now: Self.t0)) != nil)
        #expect(Self.served(machine.receive(Self.callStart(2), now: Self.t0)) == nil)
        guard case .none = machine.receive(.ping(1), now: Self.t0) else { Issue.record("a ping after failing must be ignored"); return }
        guard case .fail = machine.startCall(Self.start(), payload: ByteBuffer(), observer: "late") else { Issue.record("no call starts after failing"); return }
    }

    @Test("hello or welcome after the handshake is FAILED_PRECONDITION")
    func handshakeFrameLate() {
        var machine = Self.machine()
        var envelope = Xinyu_Wire_V1_Envelope()
        envelope.hello = Xinyu_Wire_V1_Hello()
        #expect(Self.failure(machine.receive(Frame(envelope), now: Self.t0))
            == RPCTransportError(.protocolViolation, .failedPrecondition, "protocol error: unexpected hello frame after the handshake"))
    }

    // MARK: Concurrency

    @Test("beyond max_concurrent_streams a call is refused RESOURCE_EXHAUSTED; a finished call frees its slot")
    func concurrencyLimit() {
        var machine = Self.machine(maxConcurrentStreams: 2)
        #expect(Self.served(machine.receive(Self.callStart(2), now: Self.t0)) == 2)
        #expect(Self.served(machine.receive(Self.callStart(4), now: Self.t0)) == 4)
        #expect(Self.refusal(machine.receive(Self.callStart(6), now: Self.t0))
            == CallStatus(code: .resourceExhausted, message: "too many calls in flight on this connection (limit 2); wait for some to finish"))
        _ = machine.endInbound(2, .ok)
        #expect(Self.served(machine.receive(Self.callStart(8), now: Self.t0)) == 8)
        #expect(machine.inFlightCount == 2)
    }

    // MARK: Deadlines and cancel

    @Test("a served call's deadline: its timer is handed back, the end says DEADLINE_EXCEEDED, answers after it are dropped")
    func inboundDeadline() {
        var machine = Self.machine()
        guard case .serve(2, let timeout) = machine.receive(Self.callStart(2, timeoutMicros: 1_500_000), now: Self.t0) else {
            Issue.record("expected serve"); return
        }
        #expect(timeout == .milliseconds(1500))
        machine.armInbound(2, timer: 77)
        let abandoned = machine.inboundDeadlinePassed(2)
        #expect(abandoned?.error == RPCError(.deadlineExceeded, "deadline of 1500 ms passed before x.v1.S/M finished"))
        #expect(abandoned?.answer.streamID == 2)
        #expect(abandoned?.timer == nil)
        guard case .drop = machine.sendMessage(2, ByteBuffer(string: "late")) else { Issue.record("a late message must be dropped"); return }
        #expect(machine.endInbound(2, .ok) == nil)
        #expect(machine.inboundDeadlinePassed(2) == nil)
    }

    @Test("a started call's deadline: cancel to the peer, DEADLINE_EXCEEDED to the observer, the late end ignored")
    func outboundDeadline() {
        var machine = Self.machine()
        guard case .send(1, _, let timeout) = machine.startCall(Self.start(timeoutMicros: 250_000), payload: ByteBuffer(), observer: "caller") else {
            Issue.record("expected send"); return
        }
        #expect(timeout == .milliseconds(250))
        let givenUp = machine.outboundDeadlinePassed(1)
        #expect(givenUp?.observer == "caller")
        #expect(givenUp?.status == CallStatus(code: .deadlineExceeded, message: "deadline of 250 ms passed waiting for x.v1.S/M"))
        guard case .cancel(let cancel)? = givenUp?.cancel.envelope.kind else { Issue.record("expected a cancel frame"); return }
        #expect(cancel.reason == "deadline of 250 ms passed waiting for x.v1.S/M")
        guard case .none = machine.receive(.end(stream: 1, code: .ok), now: Self.t0) else { Issue.record("a late end must be ignored"); return }
    }

    @Test("the peer's cancel ends a served call CANCELLED and hands back its timer; an unknown cancel is ignored")
    func peerCancel() {
        var machine = Self.machine()
        _ = machine.receive(Self.callStart(2, timeoutMicros: 10_000_000), now: Self.t0)
        machine.armInbound(2, timer: 5)
        guard case .abandon(2, let answer, let error, let timer) = machine.receive(.cancel(stream: 2, reason: ""), now: Self.t0) else {
            Issue.record("expected abandon"); return
        }
        #expect(error == RPCError(.cancelled, "cancelled by the caller"))
        #expect(timer == 5)
        #expect(answer.streamID == 2)
        guard case .none = machine.receive(.cancel(stream: 2, reason: "again"), now: Self.t0) else { Issue.record("a second cancel must be ignored"); return }
    }

    @Test("a local cancel: cancel frame, CANCELLED, timer handed back; a message after it is dropped")
    func localCancel() {
        var machine = Self.machine()
        _ = machine.startCall(Self.start(timeoutMicros: 1_000_000), payload: ByteBuffer(), observer: "caller")
        machine.armOutbound(1, timer: 9)
        let givenUp = machine.cancelOutbound(1, reason: "")
        #expect(givenUp?.status == CallStatus(code: .cancelled, message: "cancelled"))
        #expect(givenUp?.timer == 9)
        guard case .none = machine.receive(.message(stream: 1, payload: ByteBuffer(string: "x")), now: Self.t0) else {
            Issue.record("a message for a cancelled call must be dropped"); return
        }
    }

    @Test("ids of started calls count up by two from the role's first id", arguments: [
        (HandshakeStateMachine.Role.opener, [UInt32(1), 3, 5]), (.acceptor, [2, 4, 6]),
    ])
    func outboundIDs(role: HandshakeStateMachine.Role, expected: [UInt32]) {
        var machine = Self.machine(role)
        let ids = (0..<3).compactMap { _ -> UInt32? in
            if case .send(let id, _, _) = machine.startCall(Self.start(), payload: ByteBuffer(), observer: "o") { id } else { nil }
        }
        #expect(ids == expected)
    }

    @Test("a request larger than the peer reads fails RESOURCE_EXHAUSTED before it is sent")
    func requestTooLarge() {
        var machine = Self.machine(peerMaxFrameBytes: 100)
        guard case .fail(_, let status) = machine.startCall(Self.start(), payload: ByteBuffer(repeating: 0, count: 100), observer: "o") else {
            Issue.record("expected a local failure"); return
        }
        #expect(status == CallStatus(code: .resourceExhausted, message: "request of 100 bytes exceeds the peer's frame limit of 100 bytes"))
    }

    // MARK: Keepalive

    @Test("keepalive: nothing before an interval, a ping after one, failure after the timeout; any frame resets the clock")
    func keepalive() {
        var machine = Self.machine()
        guard case .none = machine.keepaliveTick(now: Self.t0 + .seconds(9)) else { Issue.record("no ping before an interval"); return }
        guard case .ping = machine.keepaliveTick(now: Self.t0 + .seconds(10)) else { Issue.record("ping after an interval"); return }
        _ = machine.receive(.pong(1), now: Self.t0 + .seconds(15))
        guard case .ping = machine.keepaliveTick(now: Self.t0 + .seconds(44)) else { Issue.record("29 s of silence is a ping, not a close"); return }
        guard case .fail(let error) = machine.keepaliveTick(now: Self.t0 + .seconds(45)) else { Issue.record("30 s of silence closes"); return }
        #expect(error == RPCTransportError(.keepaliveTimeout, .unavailable, "peer stopped answering pings for 30000 ms"))
        guard case .none = machine.keepaliveTick(now: Self.t0 + .seconds(55)) else { Issue.record("a failed connection pings no more"); return }
    }

    // MARK: go_away

    @Test("go_away: last_stream_id is the last accepted call, new calls are refused, close once both directions drain")
    func goAwayDrain() {
        var machine = Self.machine(maxConcurrentStreams: 1)
        _ = machine.receive(Self.callStart(2), now: Self.t0)
        _ = machine.receive(Self.callStart(4), now: Self.t0)  // refused: over the limit, not accepted
        _ = machine.startCall(Self.start(), payload: ByteBuffer(), observer: "mine")
        guard case .goAway(let goAway)? = machine.goAway(reason: "bye")?.envelope.kind else { Issue.record("expected go_away"); return }
        #expect(goAway.lastStreamID == 2)
        #expect(machine.goAway(reason: "again") == nil)
        #expect(!closeIfDrained(&machine))
        #expect(Self.refusal(machine.receive(Self.callStart(6), now: Self.t0))
            == CallStatus(code: .unavailable, message: "me is shutting down; retry on a new connection"))
        guard case .fail(_, let refused) = machine.startCall(Self.start(), payload: ByteBuffer(), observer: "new") else { Issue.record("no new call while draining"); return }
        #expect(refused.code == .unavailable)
        _ = machine.endInbound(2, .ok)
        #expect(!closeIfDrained(&machine))
        guard case .finish("mine", let status, nil) = machine.receive(.end(stream: 1, code: .ok), now: Self.t0) else { Issue.record("in-flight call must finish"); return }
        #expect(status == .ok)
        #expect(closeIfDrained(&machine))
        #expect(!closeIfDrained(&machine))
        #expect(machine.closeReason == "closed after go_away")
    }

    @Test("the peer's go_away is reported once; no new calls start, calls in flight still finish")
    func peerGoAway() {
        var machine = Self.machine()
        _ = machine.startCall(Self.start(), payload: ByteBuffer(), observer: "mine")
        guard case .peerGoingAway("shutting down") = machine.receive(.goAway(lastStreamID: 1, reason: "shutting down"), now: Self.t0) else {
            Issue.record("expected peerGoingAway"); return
        }
        guard case .none = machine.receive(.goAway(lastStreamID: 1, reason: "again"), now: Self.t0) else { Issue.record("reported once"); return }
        guard case .fail(_, let status) = machine.startCall(Self.start(), payload: ByteBuffer(), observer: "new") else { Issue.record("expected refusal"); return }
        #expect(status == CallStatus(code: .unavailable, message: "peer is shutting down this connection; retry"))
        guard case .deliver("mine", _) = machine.receive(.message(stream: 1, payload: ByteBuffer()), now: Self.t0) else { Issue.record("expected delivery"); return }
        guard case .finish("mine", _, _) = machine.receive(.end(stream: 1, code: .ok), now: Self.t0) else { Issue.record("expected finish"); return }
    }

    private func closeIfDrained(_ machine: inout Machine) -> Bool { machine.closeIfDrained() }

    // MARK: Closing

    @Test("when the channel closes every live call is handed back with the close reason")
    func channelClosed() {
        var machine = Self.machine()
        _ = machine.receive(Self.callStart(2), now: Self.t0)
        machine.armInbound(2, timer: 3)
        _ = machine.startCall(Self.start(), payload: ByteBuffer(), observer: "mine")
        machine.close(reason: "client closed the connection")
        let closed = machine.channelClosed()
        #expect(closed.reason == "client closed the connection")
        #expect(closed.outbound.map(\.0) == ["mine"])
        #expect(closed.inbound.map(\.0) == [2] && closed.inbound.map(\.1) == [3])
        #expect(machine.inFlightCount == 0)
    }

    @Test("the peer's error frame records its code and message as the close reason")
    func peerError() {
        var machine = Self.machine()
        guard case .closedByPeer = machine.receive(.connectionError(code: .permissionDenied, message: "no"), now: Self.t0) else {
            Issue.record("expected closedByPeer"); return
        }
        #expect(machine.closeReason == "peer closed the connection: PERMISSION_DENIED: no")
    }
}
