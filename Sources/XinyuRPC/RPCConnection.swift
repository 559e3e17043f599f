import Logging
import NIOConcurrencyHelpers
import NIOCore
import XinyuWire

/// One established protocol connection, usable from any thread or task.
///
/// Either side may start calls and serve them. Methods hop to the connection's event loop;
/// events come back to its ``RPCConnectionDelegate`` on that loop.
public final class RPCConnection: Sendable, CustomStringConvertible {
    /// The underlying channel.
    public let channel: Channel
    let handler: NIOLoopBound<ConnectionHandler>
    private let state = NIOLockedValueBox(SharedState())

    private struct SharedState {
        var agreement: HandshakeStateMachine.Agreement?
        var peerPrincipal = Xinyu_Wire_V1_Principal()
        var welcome: Xinyu_Wire_V1_Welcome?
        var peerCertificate: PeerCertificate?
        var remoteAddressDescription: String?
        var closeError: RPCTransportError?
    }

    init(channel: Channel, handler: ConnectionHandler) {
        self.channel = channel
        self.handler = NIOLoopBound(handler, eventLoop: channel.eventLoop)
    }

    /// The event loop the connection lives on.
    public var eventLoop: EventLoop { channel.eventLoop }

    /// Completes when the channel closes.
    public var closeFuture: EventLoopFuture<Void> { channel.closeFuture }

    /// Version, peer name and the peer's limits; nil before the handshake completes.
    public var agreement: HandshakeStateMachine.Agreement? { state.withLockedValue { $0.agreement } }

    /// Who the peer is: the principal the delegate authenticated (acceptor), or the principal
    /// the acceptor said we are (opener).
    public var peerPrincipal: Xinyu_Wire_V1_Principal { state.withLockedValue { $0.peerPrincipal } }

    /// (Opener) The welcome received from the acceptor.
    public var welcome: Xinyu_Wire_V1_Welcome? { state.withLockedValue { $0.welcome } }

    /// The certificate the peer presented in the TLS handshake, already verified against the
    /// trusted CA; nil on a connection without TLS or when the peer presented none (a listener
    /// whose client certificates are optional).
    ///
    /// Set before ``RPCConnectionDelegate/authenticate(hello:connection:)`` runs, so the
    /// delegate can match the agency's certificate to the credentials in its Hello.
    public var peerCertificate: PeerCertificate? { state.withLockedValue { $0.peerCertificate } }

    /// Where the peer connects from, for audit logs: "tcp 127.0.0.1:51234", "tcp [::1]:51234"
    /// or "unix". Kept after the channel closes.
    public var remoteAddressDescription: String {
        if let recorded = state.withLockedValue({ $0.remoteAddressDescription }) { return recorded }
        return Self.describe(channel.remoteAddress)
    }

    static func describe(_ address: SocketAddress?) -> String {
        switch address {
        case let address? where address.protocol == .inet:
            "tcp \(address.ipAddress ?? "?"):\(address.port ?? 0)"
        case let address? where address.protocol == .inet6:
            "tcp [\(address.ipAddress ?? "?")]:\(address.port ?? 0)"
        case .some: "unix"
        case nil: "unknown"
        }
    }

    func recordRemoteAddress(_ address: SocketAddress?) {
        guard let address else { return }
        let text = Self.describe(address)
        state.withLockedValue { $0.remoteAddressDescription = text }
    }

    /// Why the connection closed, as a transport error (peer's error frame, keepalive timeout,
    /// protocol violation, or plain closing); nil while it is open.
    public var closeError: RPCTransportError? { state.withLockedValue { $0.closeError } }

    func recordClosed(_ error: RPCTransportError) {
        state.withLockedValue { $0.closeError = $0.closeError ?? error }
    }

    /// The error a call that ended with `status` fails with, or nil when it succeeded. A call
    /// ended UNAVAILABLE by a lost connection carries the connection's ``closeError`` as cause.
    public func failure(of status: CallStatus) -> RPCError? {
        guard var error = status.error else { return nil }
        if status.code == .unavailable, error.cause == nil, let closed = closeError { error.cause = closed }
        return error
    }

    func recordPeerCertificate(_ certificate: PeerCertificate) {
        state.withLockedValue { $0.peerCertificate = certificate }
    }

    public var description: String {
        "connection(\(agreement?.peerName ?? "handshaking") \(channel.remoteAddress.map { "\($0)" } ?? "local"))"
    }

    func recordEstablished(agreement: HandshakeStateMachine.Agreement, principal: Xinyu_Wire_V1_Principal, welcome: Xinyu_Wire_V1_Welcome?) {
        state.withLockedValue {
            $0.agreement = agreement
            $0.peerPrincipal = principal
            $0.welcome = welcome
        }
    }

    /// Runs `body` on the event loop with the handler: inline when already there.
    func onLoop(_ body: @escaping @Sendable (ConnectionHandler) -> Void) {
        if channel.eventLoop.inEventLoop {
            body(handler.value)
        } else {
            let handler = self.handler
            channel.eventLoop.execute { body(handler.value) }
        }
    }

    // MARK: Calls this side starts

    /// Starts a call. The observer hears each response message and then exactly one end,
    /// on the connection's event loop. Returns a handle to cancel it.
    @discardableResult
    public func startCall(_ start: Xinyu_Wire_V1_CallStart, payload: ByteBuffer, observer: @escaping CallObserver) -> OutboundCallHandle {
        let handle = OutboundCallHandle(connection: self)
        onLoop { handler in
            if let id = handler.startCall(start, payload: payload, observer: observer) {
                handle.assign(id)
            }
        }
        return handle
    }

    // MARK: Calls this side serves

    /// Sends one response message of a call the peer started.
    public func send(_ payload: ByteBuffer, on streamID: UInt32) {
        onLoop { $0.sendMessage(streamID, payload) }
    }

    /// Ends a call the peer started with its final status.
    public func end(_ streamID: UInt32, status: CallStatus) {
        onLoop { $0.endInbound(streamID, status) }
    }

    /// Ends a call the peer started with a failure: the caller sees `error`'s code, message
    /// and metadata; its `cause` is not sent.
    public func end(_ streamID: UInt32, error: RPCError) {
        end(streamID, status: CallStatus(error))
    }

    /// Sends one message and ends the call with OK, together (a unary answer).
    public func reply(_ streamID: UInt32, payload: ByteBuffer) {
        onLoop {
            $0.sendMessage(streamID, payload)
            $0.endInbound(streamID, .ok)
        }
    }

    // MARK: Closing

    /// Stops taking new calls, sends go_away, and closes when in-flight calls are done.
    public func goAway(reason: String) {
        onLoop { $0.goAway(reason: reason) }
    }

    /// Closes now; calls in flight end with UNAVAILABLE and this reason.
    public func close(reason: String) {
        onLoop { $0.close(reason: reason) }
    }
}

/// A call this side started, for cancelling it.
public final class OutboundCallHandle: Sendable {
    private let connection: RPCConnection
    private let streamID = NIOLockedValueBox<UInt32?>(nil)

    init(connection: RPCConnection) { self.connection = connection }

    func assign(_ id: UInt32) { streamID.withLockedValue { $0 = id } }

    /// The stream id once the call has been sent.
    public var id: UInt32? { streamID.withLockedValue { $0 } }

    /// Cancels the call: the peer is told, and the observer hears CANCELLED.
    public func cancel(reason: String = "cancelled by the caller") {
        let box = streamID
        connection.onLoop { handler in
            // startCall ran earlier on this same loop (FIFO), so the id is known by now.
            if let id = box.withLockedValue({ $0 }) { handler.cancelOutbound(id, reason: reason) }
        }
    }
}
