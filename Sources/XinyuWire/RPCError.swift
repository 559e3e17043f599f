/// One call failed: the status code, a message a person can act on, metadata for programs, and
/// (for logs only) the error underneath.
///
/// This is what a handler throws to answer a call with a non-OK status, and what a caller
/// catches when a call does not succeed. It crosses the wire as a `CallEnd` frame: `code`,
/// `message` and `metadata` (as trailers) are sent; `cause` never leaves the process.
///
/// ```swift
/// throw RPCError(.notFound, "field student_id: no student S2024-0113")
/// throw RPCError.invalidField("class_id", "required")
/// throw RPCError(.unavailable, "directory is being migrated; retry", cause: error)  // cause: logs only
/// ```
///
/// Failures of the connection itself (refused handshake, connection lost, frame too large) are
/// `RPCTransportError`s in XinyuRPC; a call they end is seen by its caller as an `RPCError`
/// (usually UNAVAILABLE) whose `cause` is that transport error.
public struct RPCError: Error, Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The gRPC status code.
    public var code: StatusCode
    /// What went wrong, e.g. "field student_id: no student S2024-0113". Never a stack trace.
    public var message: String
    /// Entries sent with the error as the call's trailers, for programs rather than people.
    /// Keys are lower-case; keys starting with `xinyu-` are reserved for the protocol and are
    /// not sent when a handler sets them.
    public var metadata: [Xinyu_Wire_V1_MetadataEntry]
    /// The error underneath, for logs: never sent to the peer, not part of equality.
    public var cause: (any Error)?

    /// Creates an error with a code and a message meant for the person who made the call;
    /// `metadata` travels with it, `cause` stays in this process.
    public init(_ code: StatusCode, _ message: String, metadata: [Xinyu_Wire_V1_MetadataEntry] = [], cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.metadata = metadata
        self.cause = cause
    }

    /// The same, with labels (grpc-swift's spelling).
    public init(code: StatusCode, message: String, metadata: [Xinyu_Wire_V1_MetadataEntry] = [], cause: (any Error)? = nil) {
        self.init(code, message, metadata: metadata, cause: cause)
    }

    /// "CODE: message". Without the cause, so that text built from it can go on the wire.
    public var description: String { "\(code.name): \(message)" }

    /// "CODE: message (cause: …)", for logs. Mind personal data in the cause before logging it.
    public var debugDescription: String {
        guard let cause else { return description }
        return "\(description) (cause: \(String(reflecting: cause)))"
    }

    public static func == (lhs: RPCError, rhs: RPCError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.metadata == rhs.metadata
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
        hasher.combine(metadata)
    }

    /// An INVALID_ARGUMENT error that names the offending field.
    public static func invalidField(_ field: String, _ problem: String) -> RPCError {
        RPCError(.invalidArgument, "field \(field): \(problem)")
    }

    /// The value of the first metadata entry with this key, if any.
    public func metadataValue(_ key: String) -> String? {
        metadata.first(where: { $0.key == key })?.value
    }
}
