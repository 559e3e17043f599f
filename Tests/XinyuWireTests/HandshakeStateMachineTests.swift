import Testing
@testable import XinyuWire

@Suite("Handshake state machine")
struct HandshakeStateMachineTests {
    static var limits: Xinyu_Wire_V1_Limits {
        var l = Xinyu_Wire_V1_Limits()
        l.maxFrameBytes = 1 << 20
        l.maxConcurrentStreams = 8
        return l
    }

    static func hello(min: UInt32 = 1, max: UInt32 = 1) -> Xinyu_Wire_V1_Envelope {
        var hello = Xinyu_Wire_V1_Hello()
        hello.minVersion = min
        hello.maxVersion = max
        hello.peerName = "client"
        hello.limits = limits
        var e = Xinyu_Wire_V1_Envelope()
        e.hello = hello
        return e
    }

    @Test("opener and acceptor agree on version and each other's limits")
    func happyPath() throws {
        var opener = HandshakeStateMachine(role: .opener, name: "client", limits: Self.limits)
        var acceptor = HandshakeStateMachine(role: .acceptor, name: "host", limits: Self.limits)
        _ = acceptor.start()
        guard case .send(let helloEnvelope) = opener.start() else { Issue.record("opener must send hello"); return }
        guard case .authenticate(let hello) = acceptor.receive(helloEnvelope) else { Issue.record("acceptor must authenticate"); return }
        #expect(hello.peerName == "client")
        var principal = Xinyu_Wire_V1_Principal()
        principal.id = "operator"
        guard case .sendAndEstablish(let welcomeEnvelope, let agreement) = acceptor.accept(principal: principal, keepaliveIntervalMs: 1000) else {
            Issue.record("acceptor must welcome"); return
        }
        #expect(agreement.version == 1 && agreement.peerMaxConcurrentStreams == 8 && agreement.peerName == "client")
        guard case .establish(let openerAgreement, let welcome) = opener.receive(welcomeEnvelope) else { Issue.record("opener must establish"); return }
        #expect(openerAgreement.peerName == "host" && openerAgreement.peerMaxFrameBytes == 1 << 20)
        #expect(welcome.principal.id == "operator")
        #expect(opener.isEstablished && acceptor.isEstablished)
    }

    @Test("a call before the hello is a protocol error")
    func callFirst() {
        var acceptor = HandshakeStateMachine(role: .acceptor, name: "host", limits: Self.limits)
        _ = acceptor.start()
        var e = Xinyu_Wire_V1_Envelope()
        e.callStart = Xinyu_Wire_V1_CallStart()
        guard case .fail(let error) = acceptor.receive(e) else { Issue.record("must fail"); return }
        #expect(error.code == .failedPrecondition)
        #expect(error.message.contains("expected a hello frame first, got call_start"))
    }

    @Test("an unsupported version range is refused with both ranges named")
    func badVersion() {
        var acceptor = HandshakeStateMachine(role: .acceptor, name: "host", limits: Self.limits)
        _ = acceptor.start()
        guard case .fail(let error) = acceptor.receive(Self.hello(min: 2, max: 3)) else { Issue.record("must fail"); return }
        #expect(error.code == .failedPrecondition)
        #expect(error.message.contains("peer speaks 2–3"))
    }

    @Test("a rejected hello fails with the authenticator's error; the opener sees it as refusal")
    func rejected() {
        var acceptor = HandshakeStateMachine(role: .acceptor, name: "host", limits: Self.limits)
        _ = acceptor.start()
        _ = acceptor.receive(Self.hello())
        guard case .fail(let error) = acceptor.reject(RPCError(.unauthenticated, "token revoked")) else { Issue.record("must fail"); return }
        #expect(error.code == .unauthenticated)

        var opener = HandshakeStateMachine(role: .opener, name: "client", limits: Self.limits)
        _ = opener.start()
        var e = Xinyu_Wire_V1_Envelope()
        e.error.code = StatusCode.unauthenticated.rawValue
        e.error.message = "token revoked"
        guard case .closeRefused(let refusal) = opener.receive(e) else { Issue.record("must be refused"); return }
        #expect(refusal == RPCError(.unauthenticated, "token revoked"))
    }

    @Test("zero limits mean the protocol defaults")
    func defaults() {
        var acceptor = HandshakeStateMachine(role: .acceptor, name: "host", limits: Self.limits)
        _ = acceptor.start()
        var hello = Self.hello()
        hello.hello.limits = Xinyu_Wire_V1_Limits()
        _ = acceptor.receive(hello)
        guard case .sendAndEstablish(_, let agreement) = acceptor.accept(principal: .init(), keepaliveIntervalMs: 1) else { Issue.record("must establish"); return }
        #expect(agreement.peerMaxFrameBytes == WireProtocol.defaultMaxFrameBytes)
        #expect(agreement.peerMaxConcurrentStreams == WireProtocol.defaultMaxConcurrentStreams)
    }

    @Test("status codes keep gRPC's numbers", arguments: zip(StatusCode.allCases, 0...16))
    func statusNumbers(code: StatusCode, number: Int) {
        #expect(code.rawValue == UInt32(number))
        #expect(StatusCode(rawValue: UInt32(number)) == code)
    }
}
