import NIOCore
import XinyuWire

/// What the callee sent back on a call this side started.
public enum CallEvent: Sendable {
    /// One response message.
    case message(ByteBuffer)
    /// The final status; nothing follows it.
    case end(CallStatus)
}

/// Called on the connection's event loop with each event of an outbound call, in order.
public typealias CallObserver = @Sendable (CallEvent) -> Void
