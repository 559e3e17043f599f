import Logging
import NIOCore
import ServiceLifecycle
import XinyuRPC
import XinyuStore

/// The host's long-lived parts, put together once the database, router and supervisor exist:
/// binds the listeners and lists the services in the order the service group starts them.
///
/// ```
/// start  →  audit trail, plugin socket, supervisor, liveness, [timers], outbox relay, client sockets
/// stop   ←  (the reverse: each waits for the one after it to finish)
/// ```
/// So at shutdown the client sockets stop first (go_away, drain), then the relay, then the
/// plugins (SIGTERM, SIGKILL after a grace), then the plugin socket, and the audit trail last,
/// after every call it records has ended.
struct HostParts {
    let configuration: HostConfiguration
    let router: CallRouter
    let table: RoutingTable
    let secrets: PluginSecrets
    let supervisor: PluginSupervisor
    let access: AccessControl
    let auditTrail: AuditTrail
    let database: SharedDatabase
    let group: EventLoopGroup
    let tls: TLSServerSettings?
    let pluginSocket: String
    let logger: Logger
    /// Finds hung plugins (runs right after the supervisor, and stops before it).
    let liveness: PluginLivenessMonitor
    let throttle = AuthFailureThrottle()
    let clients = ConnectionRegistry()
    /// Counts the calls and serves /metrics, /healthz and /readyz (when `[metrics]` is on).
    let metrics: HostMetrics
    let metricsResponder: MetricsResponder
    /// One connection limit per client listener, so that a flood on TCP never locks the local
    /// operator out of the Unix socket.
    let operatorConnections: ConnectionLimiter
    let tcpConnections: ConnectionLimiter
    let plugins = ConnectionRegistry()
    /// How long plugins get between SIGTERM and SIGKILL at shutdown.
    var pluginStopGrace: Duration = .seconds(5)

    /// The bound sockets, ready to accept once their services run.
    struct Listeners {
        let plugin: RPCListener
        let operatorSocket: RPCListener
        let tcp: RPCListener?
        let metrics: MetricsEndpoint?

        func closeAll() async {
            await plugin.close()
            await operatorSocket.close()
            await tcp?.close()
            await metrics?.close()
        }
    }

    private var connectionConfiguration: ConnectionConfiguration {
        var config = ConnectionConfiguration(name: "xinyu-host")
        config.maxFrameBytes = configuration.maxFrameBytes
        config.maxConcurrentStreams = configuration.maxConcurrentStreams
        config.keepaliveInterval = .milliseconds(Int64(configuration.keepaliveMs))
        config.keepaliveTimeout = .milliseconds(Int64(configuration.keepaliveMs) * 3)
        config.handshakeTimeout = .milliseconds(Int64(configuration.limits.handshakeTimeoutMs))
        return config
    }

    /// Client connections also close when idle (`limits.idle_timeout_ms`) and are read only while
    /// they take their answers (`limits.max_unread_answer_bytes`); plugins' are neither.
    private var clientConnectionConfiguration: ConnectionConfiguration {
        var config = connectionConfiguration
        if configuration.limits.idleTimeoutMs > 0 { config.idleTimeout = .milliseconds(Int64(configuration.limits.idleTimeoutMs)) }
        config.maxUnreadOutboundBytes = configuration.limits.maxUnreadAnswerBytes
        return config
    }

    private func delegate(_ kind: HostConnectionDelegate.Kind, registry: ConnectionRegistry, limiter: ConnectionLimiter? = nil) -> @Sendable (Channel) -> RPCConnectionDelegate {
        { [router, table, secrets, supervisor, access, throttle, logger, metrics] channel in
            var over: Int?
            if let limiter {
                if !limiter.acquire() { over = limiter.limit }
                channel.closeFuture.whenComplete { _ in limiter.release() }
            }
            return HostConnectionDelegate(kind: kind, router: router, table: table, secrets: secrets, supervisor: supervisor,
                                          access: access, throttle: throttle, registry: registry, logger: logger,
                                          overConnectionLimit: over, metrics: metrics)
        }
    }

    /// Binds the plugin socket, the operator socket and (when configured) TCP. If one cannot be
    /// bound, those already bound are closed before the error is thrown.
    func bindListeners() async throws -> Listeners {
        let config = connectionConfiguration
        var bound: [RPCListener] = []
        do {
            let plugin = try await RPCListener.bind(.unix(path: pluginSocket), group: group, configuration: config, logger: logger,
                                                    delegate: delegate(.pluginSocket, registry: plugins))
            bound.append(plugin)
            let operatorSocket = try await RPCListener.bind(.unix(path: configuration.socketPath), group: group, configuration: clientConnectionConfiguration, logger: logger,
                                                            delegate: delegate(.operatorSocket, registry: clients, limiter: operatorConnections))
            bound.append(operatorSocket)
            var tcp: RPCListener? = nil
            if let endpoint = TCPEndpoint(configuration.tcpListen) {
                tcp = try await RPCListener.bind(.tcp(host: endpoint.host, port: endpoint.port), group: group, configuration: clientConnectionConfiguration, tls: tls,
                                                 logger: logger, delegate: delegate(.tcp, registry: clients, limiter: tcpConnections))
                bound.append(tcp!)
            }
            var metricsEndpoint: MetricsEndpoint? = nil
            if let endpoint = configuration.metrics.endpoint {
                let responder = metricsResponder
                do {
                    metricsEndpoint = try await MetricsEndpoint.bind(endpoint, group: group) { path in await responder.respond(path) }
                } catch {
                    throw ConfigurationError("metrics.listen: cannot listen on \(configuration.metrics.listen): \(error)")
                }
            }
            return Listeners(plugin: plugin, operatorSocket: operatorSocket, tcp: tcp, metrics: metricsEndpoint)
        } catch {
            for listener in bound { await listener.close() }
            throw error
        }
    }

    /// The services, in start order. `onPluginsLaunched` runs once the supervisor has started
    /// every enabled plugin (the host prints its ready line then).
    func services(listeners: Listeners, onPluginsLaunched: @escaping @Sendable () -> Void) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        let relay = OutboxRelay(database: database, table: table, logger: logger, pollInterval: .milliseconds(configuration.outboxPollMs))
        let parts: [(String, any Service)] = [
            ("audit trail", auditTrail),
            ("plugin socket", PluginListenerService(listener: listeners.plugin, connections: plugins)),
            ("plugin supervisor", PluginSupervisorService(supervisor: supervisor, stopGrace: pluginStopGrace, onStarted: onPluginsLaunched)),
            ("plugin liveness", liveness),
            // Durable timers, when the host runs them, go here: after the plugins they fire
            // events for, before the relay that delivers those events.
            ("outbox relay", relay),
            ("client sockets", ClientListenerService(
                listeners: [listeners.operatorSocket] + (listeners.tcp.map { [$0] } ?? []), clients: clients, router: router,
                drainTimeout: .milliseconds(configuration.drainTimeoutMs), logger: logger)),
        ]
        // The metrics endpoint starts last and stops first.
        let all = parts + (listeners.metrics.map { [("metrics endpoint", $0 as any Service)] } ?? [])
        // Any part that ends or fails on its own shuts the whole host down gracefully, so a
        // failure never leaves the others running half a host.
        return all.map { name, service in
            ServiceGroupConfiguration.ServiceConfiguration(
                service: service, successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup, serviceName: name)
        }
    }
}
