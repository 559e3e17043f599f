import XinyuWire

/// The connection failed, not a call: nothing listens, TLS or the handshake failed, the peer
/// broke the protocol, stopped answering pings or went away.
///
/// Kept apart from ``RPCError`` (which is a call's outcome, sent in an `end` frame): a
/// transport error is sent, if at all, in a connection `error` frame, and it ends every call
/// on the connection. A caller never catches one directly: ``RPCConnector`` throws, and calls
/// on a lost connection end with, an ``RPCError`` whose `cause` is the transport error.
public struct RPCTransportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What part of the transport failed.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable {
            case connectFailed = "connect failed"
            case tlsHandshakeFailed = "TLS handshake failed"
            case handshakeFailed = "handshake failed"
            case handshakeRefused = "handshake refused"
            case protocolViolation = "protocol violation"
            case keepaliveTimeout = "keepalive timeout"
            case connectionClosed = "connection closed"
        }

        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// Nothing accepted the connection (no listener, refused, timed out).
        public static let connectFailed = Kind(.connectFailed)
        /// TLS could not be set up (untrusted certificate, no client certificate, …).
        public static let tlsHandshakeFailed = Kind(.tlsHandshakeFailed)
        /// This side ended the protocol handshake (timeout, no common version, bad frame).
        public static let handshakeFailed = Kind(.handshakeFailed)
        /// The peer answered the hello with an `error` frame (e.g. UNAUTHENTICATED).
        public static let handshakeRefused = Kind(.handshakeRefused)
        /// A frame broke the protocol: bad flags, oversized, malformed, bad stream id, …
        public static let protocolViolation = Kind(.protocolViolation)
        /// Nothing arrived from the peer for the keepalive timeout.
        public static let keepaliveTimeout = Kind(.keepaliveTimeout)
        /// The connection closed: by the peer, by an `error` frame, or by this side.
        public static let connectionClosed = Kind(.connectionClosed)

        public var description: String { wrapped.rawValue }
    }

    /// What failed.
    public var kind: Kind
    /// The code of the `error` frame about it (sent or received), and of the ``RPCError`` a
    /// caller sees for it.
    public var code: StatusCode
    /// What happened, in words; the text of the `error` frame when there is one.
    public var message: String

    /// Creates a transport error.
    public init(_ kind: Kind, _ code: StatusCode, _ message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    public var description: String { "\(kind): \(code.name): \(message)" }

    /// What a caller sees: an ``RPCError`` with this code and message, caused by this error.
    public var rpcError: RPCError { RPCError(code, message, cause: self) }

    /// A frame that could not be read, as the `error` frame that answers it.
    init(_ frameError: FrameError) {
        self.init(.protocolViolation, frameError.statusCode, frameError.description)
    }
}
