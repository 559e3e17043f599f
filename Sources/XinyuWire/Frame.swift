import NIOCore

/// One frame: an envelope and, beside it, the opaque payload it carries.
///
/// On the wire the payload is field 15 of the envelope; in memory it is kept apart as a
/// `ByteBuffer` slice so that a router can forward it without decoding or copying it.
/// `envelope.payload` is always empty in a decoded `Frame`.
public struct Frame: Sendable {
    /// Everything but the payload.
    public var envelope: Xinyu_Wire_V1_Envelope
    /// The request or response message bytes; empty for frames without one.
    public var payload: ByteBuffer

    /// Creates a frame; `payload` defaults to no bytes.
    public init(_ envelope: Xinyu_Wire_V1_Envelope, payload: ByteBuffer = ByteBuffer()) {
        self.envelope = envelope
        self.payload = payload
    }

    /// The stream id of the call it belongs to, 0 for connection frames.
    public var streamID: UInt32 { envelope.streamID }

    /// A short name of its kind for errors and logs ("call_start", "ping", …).
    public var kindName: String { envelope.kind?.name ?? "empty" }
}

extension Xinyu_Wire_V1_Envelope.OneOf_Kind {
    /// The field name of this kind as written in envelope.proto.
    public var name: String {
        switch self {
        case .hello: "hello"
        case .welcome: "welcome"
        case .callStart: "call_start"
        case .message: "message"
        case .end: "end"
        case .cancel: "cancel"
        case .ping: "ping"
        case .pong: "pong"
        case .goAway: "go_away"
        case .error: "error"
        }
    }
}
