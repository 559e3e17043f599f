import NIOCore
import XinyuWire

/// A call the peer started on this connection, handed to the delegate.
///
/// Answer it with ``RPCConnection/send(_:on:)`` (any number of messages for a streaming
/// method, exactly one for a unary one) and ``RPCConnection/end(_:status:)``. Answers for a
/// call that has already ended (cancelled, deadline passed, connection gone) are dropped.
public struct InboundCall: Sendable {
    /// The stream id, unique among live calls on this connection.
    public let streamID: UInt32
    /// Method, metadata, timeout, idempotency key and (from the host) the caller.
    public let start: Xinyu_Wire_V1_CallStart
    /// The request message bytes.
    public let payload: ByteBuffer
    /// When the caller stops waiting, computed from the timeout on arrival; nil for no deadline.
    public let deadline: NIODeadline?
    /// The connection the call arrived on.
    public let connection: RPCConnection
    /// When the call's `call_start` was read, for latency measured from the caller's side of the host.
    public var receivedAt: NIODeadline = .now()

    /// The fully qualified method, e.g. `xinyu.crisis.v1.Crisis/OpenCase`.
    public var method: String { start.method }
}
