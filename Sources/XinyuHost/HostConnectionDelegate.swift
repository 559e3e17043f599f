import Foundation
import Logging
import NIOConcurrencyHelpers
import XinyuPluginSDK
import XinyuRPC
import XinyuWire

/// Accepts connections on one listener, identifies the peer and hands its calls to the router.
///
/// - Operator socket (Unix, 0600): a peer presenting a token is that token's principal;
///   otherwise its operating-system user (SO_PEERCRED) must be the host's own (or root), and it
///   is the local operator.
/// - TCP: a verified client certificate registered to an agency, or an API token; nothing else.
/// - Plugin socket: a one-time secret and a manifest.
///
/// Failed authentications are counted per source and slowed down; the log names the source and
/// the token's public id, never a secret.
final class HostConnectionDelegate: RPCConnectionDelegate {
    enum Kind: Sendable { case operatorSocket, tcp, pluginSocket }

    private let kind: Kind
    private let router: CallRouter
    private let table: RoutingTable
    private let secrets: PluginSecrets
    private let supervisor: PluginSupervisor
    private let access: AccessControl
    private let throttle: AuthFailureThrottle
    private let logger: Logger
    private let identity = NIOLockedValueBox<(auth: AccessControl.Authenticated, source: String)?>(nil)
    private let pluginName = NIOLockedValueBox<String?>(nil)
    private let registry: ConnectionRegistry
    /// Set when this connection arrived with its listener's connection limit already reached:
    /// its handshake is refused with RESOURCE_EXHAUSTED (an answer the client can act on,
    /// through TLS too), and it holds its slot only until then.
    private let overConnectionLimit: Int?
    private let metrics: HostMetrics?

    init(kind: Kind, router: CallRouter, table: RoutingTable, secrets: PluginSecrets, supervisor: PluginSupervisor,
         access: AccessControl, throttle: AuthFailureThrottle, registry: ConnectionRegistry, logger: Logger,
         overConnectionLimit: Int? = nil, metrics: HostMetrics? = nil) {
        self.overConnectionLimit = overConnectionLimit
        self.metrics = metrics
        self.kind = kind
        self.router = router
        self.table = table
        self.secrets = secrets
        self.supervisor = supervisor
        self.access = access
        self.throttle = throttle
        self.registry = registry
        self.logger = logger
    }

    func authenticate(hello: Xinyu_Wire_V1_Hello, connection: RPCConnection) async -> Result<Xinyu_Wire_V1_Principal, RPCError> {
        switch kind {
        case .pluginSocket:
            return authenticatePlugin(hello: hello, connection: connection)
        case .operatorSocket, .tcp:
            if let limit = overConnectionLimit {
                metrics?.connectionRefused()
                logger.warning("connection refused: connection limit reached", metadata: ["limit": "\(limit)", "remote": "\(connection.remoteAddressDescription)"])
                return .failure(RPCError(.resourceExhausted, "the host serves at most \(limit) client connections on this listener and all are in use (limits.max_connections); retry later, or close connections you do not use"))
            }
            // One getsockopt per connection: the uid both names the source and proves the operator.
            let uid = kind == .operatorSocket ? await PeerCredentials.uid(of: connection.channel) : nil
            let source = sourceDescription(connection, uid: uid)
            let result = authenticateClient(hello: hello, connection: connection, uid: uid)
            switch result {
            case .success(let auth):
                throttle.recordSuccess(from: throttleKey(source))
                identity.withLockedValue { $0 = (auth, source) }
                if let tokenID = auth.tokenID { await access.noteUsed(tokenID: tokenID) }
                return .success(auth.principal.wire)
            case .failure(let error):
                await failed(error, source: source)
                return .failure(error)
            }
        }
    }

    private func authenticateClient(hello: Xinyu_Wire_V1_Hello, connection: RPCConnection, uid: UInt32?) -> Result<AccessControl.Authenticated, RPCError> {
        if case .bearerToken(let token)? = hello.credentials.kind {
            return access.authenticate(token: token)
        }
        if case .pluginSecret? = hello.credentials.kind {
            return .failure(RPCError(.unauthenticated, "plugin secrets are accepted only on the host's private plugin socket"))
        }
        switch kind {
        case .operatorSocket:
            guard let uid else {
                return .failure(RPCError(.unauthenticated, "cannot read the peer's user id on this system; present an API token"))
            }
            guard PeerCredentials.isOperator(uid) else {
                return .failure(RPCError(.unauthenticated, "user \(uid) is not the operator of this host; present an API token"))
            }
            guard let principal = access.operatorPrincipal() else {
                return .failure(RPCError(.unauthenticated, "the operator principal is missing from the database"))
            }
            return .success(AccessControl.Authenticated(principal: principal, tokenID: nil))
        case .tcp:
            if let certificate = connection.peerCertificate, let cn = certificate.commonName {
                return access.authenticate(certificateCommonName: cn)
            }
            return .failure(RPCError(.unauthenticated, "TCP clients must present an API token (Hello.credentials.bearer_token) or a client certificate registered to an agency"))
        case .pluginSocket:
            return .failure(RPCError(.unauthenticated, "unreachable"))
        }
    }

    private func failed(_ error: RPCError, source: String) async {
        let (count, delay) = throttle.recordFailure(from: throttleKey(source))
        logger.warning("authentication failed", metadata: ["source": "\(source)", "failures": "\(count)", "reason": "\(error.message)"])
        router.auditAuthenticationFailure(source: source, reason: error.message)
        if delay > .zero { try? await Task.sleep(for: delay) }
    }

    /// Failures are counted per address, not per port, so reconnecting does not reset them.
    private func throttleKey(_ source: String) -> String {
        guard source.hasPrefix("tcp "), let colon = source.lastIndex(of: ":") else { return source }
        return String(source[..<colon])
    }

    private func sourceDescription(_ connection: RPCConnection, uid: UInt32?) -> String {
        switch kind {
        case .operatorSocket:
            return uid.map { "unix uid \($0)" } ?? "unix"
        case .tcp:
            return connection.remoteAddressDescription
        case .pluginSocket:
            return "plugin socket"
        }
    }

    private func authenticatePlugin(hello: Xinyu_Wire_V1_Hello, connection: RPCConnection) -> Result<Xinyu_Wire_V1_Principal, RPCError> {
        guard case .pluginSecret(let secret)? = hello.credentials.kind, let name = secrets.redeem(secret) else {
            logger.warning("refused a plugin connection without a valid secret")
            return .failure(RPCError(.unauthenticated, "plugin secret missing or already used; only plugins started by this host may connect here"))
        }
        guard hello.manifest.name == name else {
            return .failure(RPCError(.invalidArgument, "manifest names plugin '\(hello.manifest.name)' but this secret was issued to '\(name)'"))
        }
        if let conflict = table.install(hello.manifest, connection: connection) {
            logger.error("plugin manifest rejected", metadata: ["plugin": "\(name)", "reason": "\(conflict)"])
            return .failure(RPCError(.alreadyExists, conflict))
        }
        // Plugins act with every permission: the host already checked the end user's permission
        // on the call that led here, and `xinyu-on-behalf-of` names that user in the audit trail.
        let who = Principal(id: "plugin:\(name)", kind: .plugin, displayName: "plugin \(name)", roles: ["plugin"], permissions: ["*"])
        identity.withLockedValue { $0 = (AccessControl.Authenticated(principal: who, tokenID: nil), "plugin \(name)") }
        pluginName.withLockedValue { $0 = name }
        return .success(who.wire)
    }

    func connectionEstablished(_ connection: RPCConnection) {
        registry.add(connection)
        if let name = pluginName.withLockedValue({ $0 }) {
            supervisor.registered(name, connection: connection)
        }
    }

    func callStarted(_ call: InboundCall) {
        guard let (auth, source) = identity.withLockedValue({ $0 }) else {
            call.connection.end(call.streamID, status: CallStatus(code: .unauthenticated, message: "not authenticated"))
            return
        }
        // A per-call token (a gateway acting for its users) replaces the connection's identity.
        if kind != .pluginSocket, case .bearerToken(let token)? = call.start.credentials.kind {
            switch access.authenticate(token: token) {
            case .success(let perCall):
                return router.route(call, principal: perCall.principal, source: source)
            case .failure(let error):
                let (count, _) = throttle.recordFailure(from: throttleKey(source))
                logger.warning("per-call authentication failed", metadata: ["source": "\(source)", "failures": "\(count)", "reason": "\(error.message)"])
                router.refuse(call, principal: nil, source: source, status: CallStatus(code: .unauthenticated, message: error.message))
                return
            }
        }
        // Revocation, expiry and disabling take effect on connections already open.
        if let problem = access.recheck(auth) {
            router.refuse(call, principal: auth.principal, source: source, status: CallStatus(code: .unauthenticated, message: problem.message))
            return
        }
        router.route(call, principal: auth.principal, source: source)
    }

    func callAbandoned(streamID: UInt32, on connection: RPCConnection, because status: CallStatus) {
        router.abandon(connection: connection, stream: streamID, because: status)
    }

    func connectionClosed(_ connection: RPCConnection, reason: String) {
        registry.remove(connection)
        if let name = pluginName.withLockedValue({ $0 }) {
            supervisor.connectionLost(name, connection: connection, reason: reason)
        }
    }
}

/// The client connections that are open, so shutdown can send each a go_away.
final class ConnectionRegistry: Sendable {
    private let connections = NIOLockedValueBox<[ObjectIdentifier: RPCConnection]>([:])
    func add(_ c: RPCConnection) { connections.withLockedValue { $0[ObjectIdentifier(c)] = c } }
    func remove(_ c: RPCConnection) { connections.withLockedValue { _ = $0.removeValue(forKey: ObjectIdentifier(c)) } }
    var all: [RPCConnection] { connections.withLockedValue { Array($0.values) } }
}
