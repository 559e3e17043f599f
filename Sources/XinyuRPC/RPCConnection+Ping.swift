import NIOConcurrencyHelpers
import XinyuWire

extension RPCConnection {
    /// Pings the peer now, outside the keepalive schedule; `onPong` runs (on the connection's
    /// event loop) when the peer answers this ping.
    ///
    /// The peer answers a ping from its event loop, so an answer shows that the peer's process
    /// runs and reads its socket. Nothing runs when it never answers or the connection closes:
    /// the caller decides how long to wait (the host's hang detection does).
    public func ping(onPong: @escaping @Sendable () -> Void) {
        // The top bit keeps these apart from keepalive pings, whose opaque value is an uptime.
        let opaque = Self.livenessPingCounter.withLockedValue { counter -> UInt64 in
            counter &+= 1
            return counter | (1 << 63)
        }
        onLoop { $0.sendPing(opaque, onPong: onPong) }
    }

    private static let livenessPingCounter = NIOLockedValueBox<UInt64>(0)
}
