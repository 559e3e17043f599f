import NIOCore
import NIOEmbedded
import Testing
@testable import XinyuRPC
@testable import XinyuWire

/// The NIO glue on an `EmbeddedChannel`: real codec, real handler, the test as the peer and
/// the embedded loop's clock as the only time.
@Suite("Connection handler on an embedded channel")
struct ConnectionHandlerTests {
    // MARK: Stream ids

    @Test("a call_start with the opener's own parity is a connection error: error frame, then close")
    func wrongParity() throws {
        let side = try EmbeddedConnection()
        try side.write(PeerFrame.callStart(3))
        let frames = try side.readFrames()
        #expect(frames.count == 1)
        #expect(frames.first?.connectionError?.code == .invalidArgument)
        #expect(frames.first?.connectionError?.message == "protocol error: stream id 3 is not valid for a new call from this peer")
        #expect(!side.isOpen)
        #expect(side.delegate.started.isEmpty)
    }

    @Test("a stream id the peer used before is refused, even after its call ended")
    func reuseAfterEnd() throws {
        let side = try EmbeddedConnection()
        try side.write(PeerFrame.callStart(2))
        side.connection.reply(2, payload: ByteBuffer(string: "done"))
        #expect(try side.readFrames().map(\.kindName) == ["message", "end"])
        try side.write(PeerFrame.callStart(2))
        #expect(try side.readFrames().first?.connectionError?.message == "protocol error: stream id 2 is not valid for a new call from this peer")
        #expect(!side.isOpen)
    }

    @Test("frames behind a protocol error in the same read are not served")
    func framesAfterErrorIgnored() throws {
        let side = try EmbeddedConnection()
        try side.write(PeerFrame.callStart(4), PeerFrame.callStart(2), PeerFrame.callStart(6))
        #expect(side.delegate.started.map(\.streamID) == [4])
        let frames = try side.readFrames()
        #expect(frames.map(\.kindName) == ["error"])
    }

    // MARK: Concurrency limit

    @Test("a call over max_concurrent_streams is refused RESOURCE_EXHAUSTED and the connection stays usable")
    func concurrencyLimit() throws {
        let side = try EmbeddedConnection(configuration: EmbeddedConnection.configuration { $0.maxConcurrentStreams = 1 })
        try side.write(PeerFrame.callStart(2), PeerFrame.callStart(4))
        let refused = try side.readFrames()
        #expect(refused.map(\.streamID) == [4])
        #expect(refused.first?.endStatus == CallStatus(
            code: .resourceExhausted, message: "too many calls in flight on this connection (limit 1); wait for some to finish"))
        side.connection.end(2, status: .ok)
        try side.write(PeerFrame.callStart(6))
        #expect(side.delegate.started.map(\.streamID) == [2, 6])
        #expect(side.isOpen)
    }

    // MARK: Deadlines

    @Test("a served call's deadline: end DEADLINE_EXCEEDED to the peer, abandoned here, later answers dropped")
    func inboundDeadline() throws {
        let side = try EmbeddedConnection()
        try side.write(PeerFrame.callStart(2, method: "xinyu.test.v1.Test/Slow", timeoutMicros: 500_000))
        #expect(side.delegate.started.first?.deadline != nil)
        side.advance(by: .milliseconds(499))
        #expect(try side.readFrames().isEmpty)
        side.advance(by: .milliseconds(1))
        let frames = try side.readFrames()
        #expect(frames.first?.endStatus == CallStatus(code: .deadlineExceeded, message: "deadline of 500 ms passed before xinyu.test.v1.Test/Slow finished"))
        #expect(side.delegate.abandoned.map(\.streamID) == [2])
        #expect(side.delegate.abandoned.first?.status.code == .deadlineExceeded)
        side.connection.reply(2, payload: ByteBuffer(string: "too late"))
        #expect(try side.readFrames().isEmpty)
    }

    @Test("a started call's deadline: cancel on the wire, DEADLINE_EXCEEDED to the caller, the late answer ignored")
    func outboundDeadline() throws {
        let side = try EmbeddedConnection()
        let call = side.startCall("xinyu.test.v1.Test/Slow", timeout: .milliseconds(300))
        #expect(try side.readFrames().map(\.kindName) == ["call_start"])
        side.advance(by: .milliseconds(300))
        let frames = try side.readFrames()
        guard case .cancel(let cancel)? = frames.first?.envelope.kind else { Issue.record("expected a cancel, got \(frames.map(\.kindName))"); return }
        #expect(frames.first?.streamID == 1)
        #expect(cancel.reason == "deadline of 300 ms passed waiting for xinyu.test.v1.Test/Slow")
        #expect(call.ends == [CallStatus(code: .deadlineExceeded, message: "deadline of 300 ms passed waiting for xinyu.test.v1.Test/Slow")])
        try side.write(.message(stream: 1, payload: ByteBuffer(string: "late")), .end(stream: 1, code: .ok))
        #expect(call.ends.count == 1)
        #expect(call.messages.isEmpty)
    }

    @Test("an answered call's deadline timer is cancelled: nothing fires later")
    func answeredBeforeDeadline() throws {
        let side = try EmbeddedConnection()
        let call = side.startCall(timeout: .seconds(1))
        _ = try side.readFrames()
        try side.write(.message(stream: 1, payload: ByteBuffer(string: "pong")), .end(stream: 1, code: .ok))
        side.advance(by: .seconds(2))
        #expect(call.messages == ["pong"])
        #expect(call.ends == [.ok])
        #expect(try side.readFrames().map(\.kindName).allSatisfy { $0 == "ping" })
    }

    // MARK: Cancel

    @Test("the peer's cancel ends the call CANCELLED on the wire and abandons it here")
    func peerCancels() throws {
        let side = try EmbeddedConnection()
        try side.write(PeerFrame.callStart(2), PeerFrame.cancel(2, reason: "user left"))
        let frames = try side.readFrames()
        #expect(frames.first?.endStatus == CallStatus(code: .cancelled, message: "cancelled by the caller: user left"))
        #expect(side.delegate.abandoned.first?.status == CallStatus(code: .cancelled, message: "cancelled by the caller: user left"))
        try side.write(PeerFrame.cancel(2), PeerFrame.cancel(40))
        #expect(try side.readFrames().isEmpty)
        #expect(side.isOpen)
    }

    @Test("cancelling a started call sends cancel and ends it CANCELLED at once")
    func localCancel() throws {
        let side = try EmbeddedConnection()
        let call = side.startCall()
        _ = try side.readFrames()
        call.handle?.cancel(reason: "caller gave up")
        let frames = try side.readFrames()
        guard case .cancel(let cancel)? = frames.first?.envelope.kind else { Issue.record("expected a cancel"); return }
        #expect(cancel.reason == "caller gave up")
        #expect(call.ends == [CallStatus(code: .cancelled, message: "caller gave up")])
        try side.write(.end(stream: 1, code: .cancelled, message: "cancelled by the caller: caller gave up"))
        #expect(call.ends.count == 1)
    }

    // MARK: Keepalive

    @Test("keepalive: a ping after each silent interval, error UNAVAILABLE and close after three")
    func keepaliveTimeout() throws {
        let side = try EmbeddedConnection()
        let call = side.startCall()
        _ = try side.readFrames()
        side.advance(by: .seconds(10))
        #expect(try side.readFrames().map(\.kindName) == ["ping"])
        side.advance(by: .seconds(10))
        #expect(try side.readFrames().map(\.kindName) == ["ping"])
        #expect(side.isOpen)
        side.advance(by: .seconds(10))
        let frames = try side.readFrames()
        #expect(frames.first?.connectionError?.code == .unavailable)
        #expect(frames.first?.connectionError?.message == "peer stopped answering pings for 30000 ms")
        #expect(!side.isOpen)
        #expect(call.ends.first?.code == .unavailable)
        #expect(side.delegate.closedReasons == ["UNAVAILABLE: peer stopped answering pings for 30000 ms"])
        let transport = RPCTransportError(.keepaliveTimeout, .unavailable, "peer stopped answering pings for 30000 ms")
        #expect(side.connection.closeError == transport)
        let failure = try #require(call.ends.first.flatMap { side.connection.failure(of: $0) })
        #expect(failure.code == .unavailable)
        #expect(failure.cause as? RPCTransportError == transport)
    }

    @Test("a peer that answers pings keeps the connection open")
    func pongsKeepAlive() throws {
        let side = try EmbeddedConnection()
        for _ in 0..<6 {
            side.advance(by: .seconds(10))
            let frames = try side.readFrames()
            guard case .ping(let ping)? = frames.first?.envelope.kind else { Issue.record("expected a ping, got \(frames.map(\.kindName))"); return }
            try side.write(.pong(ping.opaque))
        }
        #expect(side.isOpen)
    }

    @Test("a ping from the peer is answered with a pong carrying its opaque value")
    func answersPing() throws {
        let side = try EmbeddedConnection()
        try side.write(.ping(42))
        let frames = try side.readFrames()
        guard case .pong(let pong)? = frames.first?.envelope.kind else { Issue.record("expected a pong"); return }
        #expect(pong.opaque == 42)
    }

    // MARK: go_away

    @Test("go_away drain: in-flight calls finish both ways, new ones are refused, then the connection closes")
    func goAwayDrain() throws {
        let side = try EmbeddedConnection()
        try side.write(PeerFrame.callStart(2))
        let started = side.startCall()
        _ = try side.readFrames()

        side.connection.goAway(reason: "restarting")
        let goAway = try side.readFrames()
        guard case .goAway(let frame)? = goAway.first?.envelope.kind else { Issue.record("expected go_away"); return }
        #expect(frame.lastStreamID == 2 && frame.reason == "restarting" && frame.code == StatusCode.unavailable.rawValue)

        try side.write(PeerFrame.callStart(4))
        #expect(try side.readFrames().first?.endStatus == CallStatus(code: .unavailable, message: "test-side is shutting down; retry on a new connection"))
        #expect(side.delegate.started.map(\.streamID) == [2])
        let refused = side.startCall()
        #expect(refused.ends.first?.code == .unavailable)
        #expect(try side.readFrames().isEmpty)

        side.connection.reply(2, payload: ByteBuffer(string: "answer"))
        #expect(try side.readFrames().map(\.kindName) == ["message", "end"])
        #expect(side.isOpen)
        try side.write(.message(stream: 1, payload: ByteBuffer(string: "theirs")), .end(stream: 1, code: .ok))
        #expect(started.messages == ["theirs"] && started.ends == [.ok])
        #expect(!side.isOpen)
        #expect(side.delegate.closedReasons == ["closed after go_away"])
    }

    @Test("after the peer's go_away no call starts here, but calls in flight still get their answers")
    func peerGoAway() throws {
        let side = try EmbeddedConnection()
        let inFlight = side.startCall()
        _ = try side.readFrames()
        try side.write(Frame.goAway(lastStreamID: 0, reason: "host restarting"))
        #expect(side.delegate.peerGoingAwayReasons == ["host restarting"])
        let refused = side.startCall()
        #expect(refused.ends == [CallStatus(code: .unavailable, message: "test-peer is shutting down this connection; retry")])
        #expect(try side.readFrames().isEmpty)
        try side.write(.message(stream: 1, payload: ByteBuffer(string: "still")), .end(stream: 1, code: .ok))
        #expect(inFlight.messages == ["still"] && inFlight.ends == [.ok])
        #expect(side.isOpen)
    }

    // MARK: Closing

    @Test("a peer that half-closes: the connection closes and every live call ends UNAVAILABLE")
    func halfClose() throws {
        let side = try EmbeddedConnection()
        try side.write(PeerFrame.callStart(2))
        let call = side.startCall()
        _ = try side.readFrames()
        side.channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        side.loop.run()
        #expect(!side.isOpen)
        let reason = "peer closed its sending side of the connection"
        #expect(call.ends == [CallStatus(code: .unavailable, message: reason)])
        #expect(side.delegate.abandoned.map(\.streamID) == [2])
        #expect(side.delegate.abandoned.first?.status == CallStatus(code: .unavailable, message: reason))
        #expect(side.delegate.closedReasons == [reason])
    }

    @Test("a peer that half-closes in the middle of a frame gets an error naming the missing bytes")
    func halfCloseMidFrame() throws {
        let side = try EmbeddedConnection()
        try side.writeBytes([0, 0, 0, 0, 10, 0x08])
        side.channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        let frames = try side.readFrames()
        #expect(frames.first?.connectionError?.code == .invalidArgument)
        #expect(frames.first?.connectionError?.message == "connection closed in the middle of a frame (9 bytes missing)")
        #expect(!side.isOpen)
    }

    @Test("the peer's error frame closes the connection; calls end UNAVAILABLE with its code and message")
    func peerError() throws {
        let side = try EmbeddedConnection()
        let call = side.startCall()
        try side.write(PeerFrame.error(.resourceExhausted, "too much"))
        #expect(!side.isOpen)
        #expect(call.ends == [CallStatus(code: .unavailable, message: "peer closed the connection: RESOURCE_EXHAUSTED: too much")])
        #expect(side.connection.closeError == RPCTransportError(.connectionClosed, .resourceExhausted, "too much"))
    }

    @Test("a frame over the announced limit: error RESOURCE_EXHAUSTED naming both sizes, then close")
    func oversizedFrame() throws {
        let side = try EmbeddedConnection(configuration: EmbeddedConnection.configuration { $0.maxFrameBytes = 64 })
        try side.writeBytes([0, 0, 0, 0x03, 0xe8])
        let frames = try side.readFrames()
        #expect(frames.first?.connectionError?.code == .resourceExhausted)
        #expect(frames.first?.connectionError?.message == "frame of 1000 bytes exceeds the limit of 64 bytes announced in the handshake")
        #expect(!side.isOpen)
    }

    @Test("a response larger than the peer reads ends the call RESOURCE_EXHAUSTED; the connection stays open")
    func responseTooLarge() throws {
        let side = try EmbeddedConnection()
        try side.write(PeerFrame.callStart(2))
        side.connection.send(ByteBuffer(repeating: 7, count: 1 << 20), on: 2)
        let frames = try side.readFrames()
        #expect(frames.first?.endStatus?.code == .resourceExhausted)
        #expect(frames.first?.endStatus?.message == "response of 1048576 bytes exceeds the caller's frame limit of 1048576 bytes")
    }

    // MARK: Handshake

    @Test("no welcome within the handshake timeout: error DEADLINE_EXCEEDED, connect fails with a transport error")
    func handshakeTimeout() throws {
        let side = try EmbeddedConnection(handshake: false)
        side.advance(by: .seconds(10))
        let frames = try side.readFrames()
        #expect(frames.first?.connectionError?.code == .deadlineExceeded)
        #expect(frames.first?.connectionError?.message == "handshake not completed within 10000 ms")
        #expect(throws: RPCTransportError(.handshakeFailed, .deadlineExceeded, "handshake not completed within 10000 ms")) {
            try side.established.wait()
        }
        #expect(!side.isOpen)
    }

    @Test("a refused handshake fails with the peer's code as a transport error")
    func handshakeRefused() throws {
        let side = try EmbeddedConnection(handshake: false)
        try side.write(PeerFrame.error(.unauthenticated, "token revoked"))
        #expect(throws: RPCTransportError(.handshakeRefused, .unauthenticated, "token revoked")) {
            try side.established.wait()
        }
        #expect(!side.isOpen)
        #expect(side.delegate.closedReasons == ["refused by peer: UNAUTHENTICATED: token revoked"])
    }

    @Test("a call started before the handshake completes fails UNAVAILABLE without touching the wire")
    func callBeforeHandshake() throws {
        let side = try EmbeddedConnection(handshake: false)
        let call = side.startCall()
        #expect(call.ends == [CallStatus(code: .unavailable, message: "connection is not ready")])
        #expect(try side.readFrames().isEmpty)
    }
}
