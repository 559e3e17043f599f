import NIOCore
import XinyuWire

/// What the callee sent back on a call this side started.
public enum CallEvent: Sendable {
    /// One response message.
    case message(ByteBuffer)
    /// The final status; nothing follows it.
    case end(CallStatus)
}

/// A call's final status as received: code, message and trailers.
public struct CallStatus: Sendable, Equatable {
    /// The gRPC status code.
    public var code: StatusCode
    /// The callee's message, empty when the call succeeded.
    public var message: String
    /// Trailing metadata.
    public var trailers: [Xinyu_Wire_V1_MetadataEntry]

    /// Creates a status.
    public init(code: StatusCode, message: String = "", trailers: [Xinyu_Wire_V1_MetadataEntry] = []) {
        self.code = code
        self.message = message
        self.trailers = trailers
    }

    /// The status for a successful call.
    public static let ok = CallStatus(code: .ok)

    /// This status as an error, or nil when it is OK.
    public var error: RPCError? { code == .ok ? nil : RPCError(code, message) }
}

/// Called on the connection's event loop with each event of an outbound call, in order.
public typealias CallObserver = @Sendable (CallEvent) -> Void
