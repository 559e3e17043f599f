/// Protocol constants shared by every peer.
public enum WireProtocol {
    /// The protocol versions this implementation speaks.
    public static let supportedVersions: ClosedRange<UInt32> = 1...1
    /// Bytes before the envelope: one flags byte and a four-byte big-endian length.
    public static let frameHeaderSize = 5
    /// The default largest envelope a peer accepts: 4 MiB.
    public static let defaultMaxFrameBytes: UInt32 = 4 << 20
    /// The default number of calls a peer serves at once on one connection.
    public static let defaultMaxConcurrentStreams: UInt32 = 1024
    /// The protobuf field number of `Envelope.payload`.
    public static let payloadFieldNumber: UInt64 = 15
}
