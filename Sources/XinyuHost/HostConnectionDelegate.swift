import Foundation
import Logging
import NIOConcurrencyHelpers
import XinyuPluginSDK
import XinyuRPC
import XinyuWire

/// Accepts connections on one listener and hands their calls to the router.
///
/// On the operator socket every peer is the local operator (the socket is owner-only); on the
/// private plugin socket a peer must present a one-time secret and a manifest.
final class HostConnectionDelegate: RPCConnectionDelegate {
    enum Kind: Sendable { case operatorSocket, pluginSocket }

    private let kind: Kind
    private let router: CallRouter
    private let table: RoutingTable
    private let secrets: PluginSecrets
    private let supervisor: PluginSupervisor
    private let logger: Logger
    private let principal = NIOLockedValueBox<Principal?>(nil)
    private let pluginName = NIOLockedValueBox<String?>(nil)
    private let registry: ConnectionRegistry

    init(kind: Kind, router: CallRouter, table: RoutingTable, secrets: PluginSecrets, supervisor: PluginSupervisor, registry: ConnectionRegistry, logger: Logger) {
        self.kind = kind
        self.router = router
        self.table = table
        self.secrets = secrets
        self.supervisor = supervisor
        self.registry = registry
        self.logger = logger
    }

    func authenticate(hello: Xinyu_Wire_V1_Hello, connection: RPCConnection) async -> Result<Xinyu_Wire_V1_Principal, RPCError> {
        switch kind {
        case .operatorSocket:
            let who = Principal(id: "operator", kind: .operator, displayName: "local operator", roles: ["operator"], permissions: ["*"])
            principal.withLockedValue { $0 = who }
            return .success(who.wire)
        case .pluginSocket:
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
            let who = Principal(id: "plugin:\(name)", kind: .plugin, displayName: "plugin \(name)", roles: ["plugin"], permissions: ["*"])
            principal.withLockedValue { $0 = who }
            pluginName.withLockedValue { $0 = name }
            return .success(who.wire)
        }
    }

    func connectionEstablished(_ connection: RPCConnection) {
        registry.add(connection)
        if let name = pluginName.withLockedValue({ $0 }) {
            let supervisor = self.supervisor
            Task { await supervisor.registered(name, connection: connection) }
        }
    }

    func callStarted(_ call: InboundCall) {
        guard let who = principal.withLockedValue({ $0 }) else {
            call.connection.end(call.streamID, status: CallStatus(code: .unauthenticated, message: "not authenticated"))
            return
        }
        router.route(call, principal: who)
    }

    func callAbandoned(streamID: UInt32, on connection: RPCConnection, because status: CallStatus) {
        router.abandon(connection: connection, stream: streamID, because: status)
    }

    func connectionClosed(_ connection: RPCConnection, reason: String) {
        registry.remove(connection)
        if let name = pluginName.withLockedValue({ $0 }) {
            let supervisor = self.supervisor
            Task { await supervisor.connectionLost(name, connection: connection, reason: reason) }
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
