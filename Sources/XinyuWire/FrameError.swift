/// Why a byte stream could not be read as frames. Each one closes the connection after an
/// `error` frame that carries ``statusCode`` and ``description``.
public enum FrameError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The header announced a body larger than this side accepts.
    case frameTooLarge(length: UInt32, limit: UInt32)
    /// The flags byte had bits set that v1 does not define.
    case unsupportedFlags(UInt8)
    /// The body is not a valid `Envelope`.
    case malformedEnvelope(String)
    /// The connection ended in the middle of a frame.
    case truncated(missingBytes: Int)

    /// The status code sent in the `error` frame.
    public var statusCode: StatusCode {
        switch self {
        case .frameTooLarge: .resourceExhausted
        case .unsupportedFlags, .malformedEnvelope, .truncated: .invalidArgument
        }
    }

    public var description: String {
        switch self {
        case .frameTooLarge(let length, let limit):
            "frame of \(length) bytes exceeds the limit of \(limit) bytes announced in the handshake"
        case .unsupportedFlags(let flags):
            "frame flags 0x\(String(flags, radix: 16)) are not defined in protocol v1 (must be 0)"
        case .malformedEnvelope(let detail):
            "frame body is not a valid xinyu.wire.v1.Envelope: \(detail)"
        case .truncated(let missing):
            "connection closed in the middle of a frame (\(missing) bytes missing)"
        }
    }
}
