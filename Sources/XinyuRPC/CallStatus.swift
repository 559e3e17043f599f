import XinyuWire

/// How a call ended, as an `end` frame carries it: a code (OK or not), a message and trailers.
///
/// This is the wire-level status only. A failure is an ``RPCError`` everywhere else: a handler
/// throws one, a caller catches one. The two meet here, in both directions:
/// ``init(_:)`` turns an error into the status that goes on the wire (its `cause` stays
/// behind) and ``error`` turns a received non-OK status back into an error.
public struct CallStatus: Sendable, Equatable {
    /// The gRPC status code.
    public var code: StatusCode
    /// The callee's message, empty when the call succeeded.
    public var message: String
    /// Trailing metadata.
    public var trailers: [Xinyu_Wire_V1_MetadataEntry]

    /// Creates a status as read from an `end` frame, or an OK status with trailers.
    public init(code: StatusCode, message: String = "", trailers: [Xinyu_Wire_V1_MetadataEntry] = []) {
        self.code = code
        self.message = message
        self.trailers = trailers
    }

    /// The status that ends a call failed with `error`: its code, message and metadata as
    /// trailers. Reserved `xinyu-` metadata keys and the cause are not sent.
    public init(_ error: RPCError) {
        self.code = error.code
        self.message = error.message
        self.trailers = error.metadata.contains { $0.key.hasPrefix("xinyu-") }
            ? error.metadata.filter { !$0.key.hasPrefix("xinyu-") } : error.metadata
    }

    /// The status for a successful call.
    public static let ok = CallStatus(code: .ok)

    /// This status as an error (trailers as its metadata), or nil when it is OK.
    public var error: RPCError? { code == .ok ? nil : RPCError(code, message, metadata: trailers) }
}
