/// One call failed: the status code and a message a person can act on.
///
/// This is what a handler throws to answer a call with a non-OK status, and what a caller
/// catches when a call does not succeed. It crosses the wire as a `CallEnd` frame.
public struct RPCError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The gRPC status code.
    public var code: StatusCode
    /// What went wrong, e.g. "field student_id: no student S2024-0113". Never a stack trace.
    public var message: String

    /// Creates an error with a code and a message meant for the person who made the call.
    public init(_ code: StatusCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.name): \(message)" }

    /// An INVALID_ARGUMENT error that names the offending field.
    public static func invalidField(_ field: String, _ problem: String) -> RPCError {
        RPCError(.invalidArgument, "field \(field): \(problem)")
    }
}
