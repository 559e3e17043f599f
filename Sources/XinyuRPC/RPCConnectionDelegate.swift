import NIOCore
import XinyuWire

/// What the owner of a connection decides and hears about.
///
/// Every method but ``authenticate(hello:connection:)`` is called on the connection's event
/// loop and must not block it.
public protocol RPCConnectionDelegate: AnyObject, Sendable {
    /// (Acceptor) Checks a hello's credentials; returns who the peer is or why it may not connect.
    func authenticate(hello: Xinyu_Wire_V1_Hello, connection: RPCConnection) async -> Result<Xinyu_Wire_V1_Principal, RPCError>
    /// The handshake completed.
    func connectionEstablished(_ connection: RPCConnection)
    /// The peer started a call.
    func callStarted(_ call: InboundCall)
    /// A call the peer started is over without an answer from us: cancelled by the peer, its
    /// deadline passed, or the connection closed. Stop working on it.
    func callAbandoned(streamID: UInt32, on connection: RPCConnection, because status: CallStatus)
    /// The peer sent go_away: it takes no new calls on this connection.
    func peerGoingAway(_ connection: RPCConnection, reason: String)
    /// The connection closed. `reason` says why in words.
    func connectionClosed(_ connection: RPCConnection, reason: String)
}

extension RPCConnectionDelegate {
    public func authenticate(hello: Xinyu_Wire_V1_Hello, connection: RPCConnection) async -> Result<Xinyu_Wire_V1_Principal, RPCError> {
        .failure(RPCError(.unimplemented, "this peer does not accept connections"))
    }
    public func connectionEstablished(_ connection: RPCConnection) {}
    public func callStarted(_ call: InboundCall) {
        call.connection.end(call.streamID, error: RPCError(.unimplemented, "this peer serves no methods (\(call.method))"))
    }
    public func callAbandoned(streamID: UInt32, on connection: RPCConnection, because status: CallStatus) {}
    public func peerGoingAway(_ connection: RPCConnection, reason: String) {}
    public func connectionClosed(_ connection: RPCConnection, reason: String) {}
}
