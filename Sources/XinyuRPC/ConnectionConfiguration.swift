import NIOCore
import XinyuWire

/// How one side of a connection behaves.
public struct ConnectionConfiguration: Sendable {
    /// The name given in the handshake, e.g. "xinyu-host".
    public var name: String
    /// The largest frame body this side reads. Announced to the peer.
    public var maxFrameBytes: UInt32 = WireProtocol.defaultMaxFrameBytes
    /// The most calls this side serves at once on this connection. Announced to the peer.
    public var maxConcurrentStreams: UInt32 = WireProtocol.defaultMaxConcurrentStreams
    /// Ping the peer when nothing has arrived for this long.
    public var keepaliveInterval: TimeAmount = .seconds(10)
    /// Close the connection when nothing (not even a pong) has arrived for this long.
    public var keepaliveTimeout: TimeAmount = .seconds(30)
    /// Close the connection when the handshake has not completed within this time.
    public var handshakeTimeout: TimeAmount = .seconds(10)
    /// Send go_away and close when no call has been in flight in either direction for this
    /// long; nil = never. Pings do not count: they keep a connection known alive, not in use.
    public var idleTimeout: TimeAmount?
    /// For peers that may not read what this side writes (clients, not plugins): when set, the
    /// connection stops reading the peer's frames while its outbound buffer is over the
    /// channel's high-water mark, so a peer that never reads its answers cannot make this side
    /// serve (and buffer) more; and when the bytes buffered for the peer still exceed this
    /// (a server stream it does not read), the connection is closed. nil = neither (plugin
    /// connections: pausing reads on both ends of one could deadlock).
    public var maxUnreadOutboundBytes: Int?

    /// Creates a configuration with defaults for everything but the name.
    public init(name: String) { self.name = name }

    var limits: Xinyu_Wire_V1_Limits {
        var limits = Xinyu_Wire_V1_Limits()
        limits.maxFrameBytes = maxFrameBytes
        limits.maxConcurrentStreams = maxConcurrentStreams
        return limits
    }
}
