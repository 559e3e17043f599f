/// The handshake of one connection as a pure state machine: feed it what arrives, do what it says.
///
/// ```
/// opener                         acceptor
///   | -- hello (versions, limits, credentials, [manifest]) --> |
///   |                                          authenticate    |
///   | <-- welcome (version, limits, principal) --------------- |   or: error frame, close
/// ```
/// Nothing but `hello` may come first from the opener, and nothing but `welcome` (or an
/// `error`) from the acceptor. The machine does no I/O; it is tested on its own.
public struct HandshakeStateMachine: Sendable {
    /// Which end of the connection this side is.
    public enum Role: Sendable { case opener, acceptor }

    /// What both sides agreed on.
    public struct Agreement: Sendable, Equatable {
        /// The protocol version in use.
        public var version: UInt32
        /// The name the peer gave.
        public var peerName: String
        /// The largest frame body the peer accepts: never send more.
        public var peerMaxFrameBytes: UInt32
        /// The most calls the peer serves at once.
        public var peerMaxConcurrentStreams: UInt32
    }

    /// What the caller must do next.
    public enum Action: Sendable, Equatable {
        /// Send this envelope.
        case send(Xinyu_Wire_V1_Envelope)
        /// (Acceptor) check the hello's credentials, then call ``accept(principal:keepaliveIntervalMs:)`` or ``reject(_:)``.
        case authenticate(Xinyu_Wire_V1_Hello)
        /// Send the welcome; the connection is ready.
        case sendAndEstablish(Xinyu_Wire_V1_Envelope, Agreement)
        /// (Opener) the connection is ready.
        case establish(Agreement, Xinyu_Wire_V1_Welcome)
        /// Send an error frame with this code and message and close.
        case fail(RPCError)
        /// The peer refused us; close (nothing to send).
        case closeRefused(RPCError)
    }

    private enum State: Sendable {
        case idle
        case awaitingHello
        case awaitingWelcome
        case authenticating(Xinyu_Wire_V1_Hello, version: UInt32)
        case established
        case failed
    }

    private var state: State = .idle
    private let role: Role
    private let ourName: String
    private let ourLimits: Xinyu_Wire_V1_Limits
    private let versions: ClosedRange<UInt32>

    /// Creates the machine for one side of a new connection.
    public init(role: Role, name: String, limits: Xinyu_Wire_V1_Limits, versions: ClosedRange<UInt32> = WireProtocol.supportedVersions) {
        self.role = role
        self.ourName = name
        self.ourLimits = limits
        self.versions = versions
    }

    /// True once the handshake has completed.
    public var isEstablished: Bool { if case .established = state { true } else { false } }

    /// (Opener) Starts the handshake with this hello; the machine fills in versions, name and limits.
    public mutating func start(credentials: Xinyu_Wire_V1_Credentials? = nil, manifest: Xinyu_Wire_V1_PluginManifest? = nil) -> Action {
        switch role {
        case .acceptor:
            state = .awaitingHello
            return .send(Xinyu_Wire_V1_Envelope())  // nothing to send; callers ignore an empty envelope
        case .opener:
            var hello = Xinyu_Wire_V1_Hello()
            hello.minVersion = versions.lowerBound
            hello.maxVersion = versions.upperBound
            hello.peerName = ourName
            hello.limits = ourLimits
            if let credentials { hello.credentials = credentials }
            if let manifest { hello.manifest = manifest }
            state = .awaitingWelcome
            var envelope = Xinyu_Wire_V1_Envelope()
            envelope.hello = hello
            return .send(envelope)
        }
    }

    /// Feeds one received envelope to the machine during the handshake.
    public mutating func receive(_ envelope: Xinyu_Wire_V1_Envelope) -> Action {
        switch (state, envelope.kind) {
        case (.awaitingHello, .hello(let hello)):
            let low = max(hello.minVersion, versions.lowerBound)
            let high = min(hello.maxVersion, versions.upperBound)
            guard hello.minVersion <= hello.maxVersion, low <= high else {
                state = .failed
                return .fail(RPCError(.failedPrecondition,
                    "unsupported protocol version: peer speaks \(hello.minVersion)–\(hello.maxVersion), this side speaks \(versions.lowerBound)–\(versions.upperBound)"))
            }
            state = .authenticating(hello, version: high)
            return .authenticate(hello)
        case (.awaitingWelcome, .welcome(let welcome)):
            guard versions.contains(welcome.version) else {
                state = .failed
                return .fail(RPCError(.failedPrecondition,
                    "peer chose protocol version \(welcome.version), this side speaks \(versions.lowerBound)–\(versions.upperBound)"))
            }
            state = .established
            return .establish(Self.agreement(version: welcome.version, name: welcome.peerName, limits: welcome.limits), welcome)
        case (.awaitingWelcome, .error(let error)):
            state = .failed
            return .closeRefused(RPCError(StatusCode(rawValue: error.code), error.message))
        case (.awaitingHello, let kind), (.awaitingWelcome, let kind), (.authenticating, let kind):
            state = .failed
            let expected = role == .acceptor ? "hello" : "welcome"
            return .fail(RPCError(.failedPrecondition,
                "protocol error: expected a \(expected) frame first, got \(kind?.name ?? "an empty envelope")"))
        case (.idle, _), (.established, _), (.failed, _):
            state = .failed
            return .fail(RPCError(.internal, "handshake frame received in the wrong state"))
        }
    }

    /// (Acceptor) Credentials checked: welcome the peer as `principal`.
    public mutating func accept(principal: Xinyu_Wire_V1_Principal, keepaliveIntervalMs: UInt32) -> Action {
        guard case .authenticating(let hello, let version) = state else {
            return .fail(RPCError(.internal, "accept called outside authentication"))
        }
        var welcome = Xinyu_Wire_V1_Welcome()
        welcome.version = version
        welcome.peerName = ourName
        welcome.limits = ourLimits
        welcome.principal = principal
        welcome.keepaliveIntervalMs = keepaliveIntervalMs
        var envelope = Xinyu_Wire_V1_Envelope()
        envelope.welcome = welcome
        state = .established
        return .sendAndEstablish(envelope, Self.agreement(version: version, name: hello.peerName, limits: hello.limits))
    }

    /// (Acceptor) Credentials refused: send an error frame and close.
    public mutating func reject(_ error: RPCError) -> Action {
        state = .failed
        return .fail(error)
    }

    private static func agreement(version: UInt32, name: String, limits: Xinyu_Wire_V1_Limits) -> Agreement {
        Agreement(
            version: version,
            peerName: name,
            peerMaxFrameBytes: limits.maxFrameBytes == 0 ? WireProtocol.defaultMaxFrameBytes : limits.maxFrameBytes,
            peerMaxConcurrentStreams: limits.maxConcurrentStreams == 0 ? WireProtocol.defaultMaxConcurrentStreams : limits.maxConcurrentStreams
        )
    }
}
