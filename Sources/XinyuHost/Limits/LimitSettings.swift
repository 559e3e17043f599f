import XinyuPluginSDK

/// `[limits]` in the host configuration: what one client may hold and how fast it may call
/// (docs/LIMITS.md). Each limit answers with a clear error, never by hanging.
public struct LimitSettings: Sendable, Equatable {
    /// `limits.max_connections`: client connections open at once (operator socket and TCP
    /// together; plugins' connections do not count). One more is refused in the handshake with
    /// RESOURCE_EXHAUSTED.
    public var maxConnections = 1_000
    /// `limits.handshake_timeout_ms`: a connection must finish its handshake (TLS included)
    /// within this time, or it is dropped: a client trickling its `hello` byte by byte holds a
    /// connection no longer than this.
    public var handshakeTimeoutMs = 10_000
    /// `limits.idle_timeout_ms`: a client connection with no call in flight for this long is
    /// sent go_away and closed; 0 = never. Keepalive pings do not count as use.
    public var idleTimeoutMs = 600_000
    /// `limits.calls_per_second`: calls one principal may start per second, sustained, over all
    /// its connections; 0 = no limit (the built-in default; the shipped file sets 200). Plugins
    /// are not limited.
    public var callsPerSecond = 0.0
    /// `limits.burst`: calls a principal may start at once above the sustained rate.
    public var burst = 400
    /// `limits.max_request_bytes_in_flight`: request bytes of the calls in flight on one
    /// connection; a call that would go over is answered RESOURCE_EXHAUSTED. Bounds the memory a
    /// flood of large frames can pin (max_concurrent_streams × max_frame_bytes is 4 GiB).
    public var maxRequestBytesInFlight = 64 << 20
    /// `limits.max_unread_answer_bytes`: bytes the host may hold for one client connection that
    /// is not reading what it is sent. While a client is not reading, the host also stops
    /// reading its calls; past this (a server stream it does not read) the connection is closed.
    public var maxUnreadAnswerBytes = 64 << 20

    static let keys: Set<String> = ["max_connections", "handshake_timeout_ms", "idle_timeout_ms", "calls_per_second", "burst",
                                    "max_request_bytes_in_flight", "max_unread_answer_bytes"]

    /// The built-in defaults (also the shipped ones).
    public init() {}

    init(_ t: SettingsTable) throws(SettingsError) {
        maxConnections = try t.int("max_connections", in: 1...1_000_000) ?? maxConnections
        handshakeTimeoutMs = try t.int("handshake_timeout_ms", in: 100...600_000) ?? handshakeTimeoutMs
        idleTimeoutMs = try t.int("idle_timeout_ms", in: 0...86_400_000) ?? idleTimeoutMs
        callsPerSecond = try t.double("calls_per_second", in: 0...1_000_000) ?? callsPerSecond
        burst = try t.int("burst", in: 1...1_000_000) ?? burst
        maxRequestBytesInFlight = try t.int("max_request_bytes_in_flight", in: 1024...(16 << 30)) ?? maxRequestBytesInFlight
        maxUnreadAnswerBytes = try t.int("max_unread_answer_bytes", in: (64 << 10)...(16 << 30)) ?? maxUnreadAnswerBytes
    }

    func check(source: String) throws {
        if idleTimeoutMs > 0 && idleTimeoutMs < 1000 {
            throw ConfigurationError("\(source): limits.idle_timeout_ms: \(idleTimeoutMs) is too short to finish a call between two; use 0 (never) or at least 1000")
        }
    }
}
