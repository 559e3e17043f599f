import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import XinyuCoreAPI
import XinyuDirectory
import XinyuPluginSDK
import XinyuRPC
import XinyuStore
import XinyuWire

/// The Xinyu host: opens the shared database, starts the enabled plugins, serves the operator
/// socket and routes every call, until SIGTERM or SIGINT.
public final class HostServer: Sendable {
    let configuration: HostConfiguration
    private let configurationPath: String?
    let logger: Logger
    private let pluginDirectory: URL
    private let roles: [RoleDefinition]
    private let tls: TLSServerSettings?

    /// Checks the configuration against what is installed; throws a ``ConfigurationError``
    /// naming an enabled plugin whose executable is missing.
    public init(configuration: HostConfiguration, configurationPath: String? = nil, logger: Logger) throws {
        self.configuration = configuration
        self.configurationPath = configurationPath
        self.logger = logger
        let directory = configuration.pluginDirectory.isEmpty
            ? Self.executableDirectory()
            : URL(fileURLWithPath: configuration.pluginDirectory)
        self.pluginDirectory = directory
        for name in configuration.enabledPlugins {
            let executable = PluginSupervisor.executable(for: name, in: directory)
            guard FileManager.default.isExecutableFile(atPath: executable.path) else {
                let installed = InstalledPlugins.names(in: directory)
                let hint = installed.isEmpty
                    ? "no plugin is installed in \(directory.path); build them (swift build) or set plugins.directory"
                    : "installed plugins are \(installed.joined(separator: ", ")). Check the spelling in plugins.enabled, or build it (swift build)"
                throw ConfigurationError("plugins.enabled: '\(name)': \(executable.path) not found: \(hint)")
            }
        }
        self.roles = try RolesFile.load(path: configuration.rolesFile)
        guard roles.contains(where: { $0.name == "operator" }) else {
            throw ConfigurationError("\(configuration.rolesFile): no [operator] role; the local operator needs one (see Config/roles.toml)")
        }
        self.tls = try HostTLS.settings(configuration)
    }

    /// The folder of the running executable, where `swift build` puts the plugins too.
    static func executableDirectory() -> URL {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent()
    }

    /// Runs until SIGTERM or SIGINT (with `handleSignals`) or a graceful shutdown of the service
    /// group this runs in; then drains and stops, and returns. `ready` is called once everything
    /// listens and the plugins have been launched, with a line for the operator.
    ///
    /// The long-lived parts run as services of one `ServiceGroup` (see ``HostServices``):
    /// started in this order and stopped in the reverse one. Whatever fails before the group runs
    /// (a listener that cannot bind) is undone here before the error is thrown: nothing started
    /// here outlives this call.
    ///
    /// With `stopAtStandardInputEOF`, the end of standard input (the parent closed its end of
    /// the pipe, or died) starts the same graceful shutdown.
    public func run(handleSignals: Bool = false, stopAtStandardInputEOF: Bool = false,
                    ready: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        let started = Date()
        let runtimeDirectory = URL(fileURLWithPath: configuration.runtimeDirectory)
        try FileManager.default.createDirectory(at: runtimeDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        chmod(runtimeDirectory.path, 0o700)
        let databasePath = URL(fileURLWithPath: configuration.databasePath).path
        let database = try DatabaseStartChecks.open(databasePath, setting: "host.database", hostVersion: HostStatusService.version)
        try database.migrateCore()
        let directory = DirectoryService()
        try database.migrate(owner: DirectoryService.owner, directory.migrations)
        try database.migrate(owner: SecuritySchema.owner, SecuritySchema.migrations)
        try database.migrate(owner: PluginManifestStore.owner, PluginManifestStore.migrations)
        let access = try AccessControl(database: database, configRoles: roles)
        if let line = try await access.bootstrapOperator(tokenFile: configuration.operatorTokenFile, validDays: configuration.operatorTokenDays) {
            logger.notice("\(line)")
        }
        let auditTrail = try openAuditTrail(mainDatabasePath: databasePath)
        var configuration = self.configuration
        configuration.enabledPlugins = PluginOverride.effectiveEnabled(configured: configuration.enabledPlugins, overrides: try PluginOverride.all(database))

        let tableBox = TableBox()
        let routerBox = RouterBox()
        var registry = ServiceRegistry()
        let storage = StorageCondition(logger: self.logger)
        HostStatusService(
            table: { tableBox.table }, startedAt: started, databasePath: databasePath,
            inFlight: { UInt32(routerBox.router?.inFlightCount(plugin: $0) ?? 0) }, storage: storage
        ).register(&registry)
        directory.register(&registry)
        let supervisorBox = SupervisorBox()
        let startConfiguration = configuration
        AdminService(
            access: access, database: database, supervisor: { supervisorBox.supervisor! }, table: { tableBox.table! }, auditTrail: auditTrail,
            tokenDefaultDays: configuration.tokenDefaultDays,
            reload: { [configurationPath, roles = self.roles] actor in
                try await ConfigurationReload.apply(path: configurationPath, startedWith: startConfiguration, startRoles: roles, access: access,
                                                    supervisor: supervisorBox.supervisor!, table: tableBox.table!, database: database, actor: actor)
            },
            backups: HostBackup(main: database, audit: auditTrail.database, auditKeyFile: configuration.auditKeyFile, hostVersion: HostStatusService.version)
        ).register(&registry)

        let installed = InstalledPlugins.names(in: pluginDirectory)
        let logger = self.logger
        let table = RoutingTable(hostRegistry: registry, enabled: configuration.enabledPlugins, installed: Set(installed)) { manifest in
            do {
                try database.writeSync { db in try PluginManifestStore.save(manifest, in: db, nowMs: Int64(Date().timeIntervalSince1970 * 1000)) }
            } catch {
                logger.warning("could not keep the plugin's manifest for the next start", metadata: ["plugin": "\(manifest.name)", "error": "\(type(of: error))"])
            }
        }
        table.preload(try database.readSync { db in try PluginManifestStore.load(configuration.enabledPlugins, in: db) })
        tableBox.table = table
        for name in installed where !configuration.enabledPlugins.contains(name) {
            table.rememberDisabled(service: "xinyu.\(name).v1", plugin: name)
        }
        let hostCaller = RoutedCaller(router: routerBox)
        let dispatcher = ServiceDispatcher(owner: "host", registry: registry, database: database, caller: hostCaller, logger: logger, calendar: configuration.cityCalendar)
        let liveness = PluginLivenessMonitor(table: table, configuration: configuration, logger: logger) { name, pid, reason in
            supervisorBox.supervisor?.killHung(name, pid: pid, reason: reason)
        }
        let metrics = HostMetrics()
        let limits = configuration.limits
        let router = CallRouter(table: table, hostDispatcher: dispatcher, logger: logger, audit: { auditTrail.record($0) },
                                callEnded: { servedBy, mutates, status in
                                    storage.callEnded(servedBy: servedBy, mutates: mutates, status: status)
                                    // A caller's deadline ends the forwarded call DEADLINE_EXCEEDED or CANCELLED,
                                    // whichever side's timer fires first: either makes the host look now.
                                    if servedBy != "host" && (status.code == .deadlineExceeded || status.code == .cancelled) {
                                        liveness.callTimedOut(plugin: servedBy)
                                    }
                                },
                                metrics: metrics,
                                rateLimiter: PrincipalRateLimiter(callsPerSecond: limits.callsPerSecond, burst: limits.burst),
                                maxRequestBytesInFlight: limits.maxRequestBytesInFlight)
        routerBox.router = router
        let secrets = PluginSecrets()
        let pluginSocket = runtimeDirectory.appendingPathComponent("plugins.sock").path
        let supervisor = PluginSupervisor(
            configuration: configuration, table: table, secrets: secrets, logger: logger,
            pluginDirectory: pluginDirectory, pluginSocketPath: pluginSocket, databasePath: databasePath)
        supervisorBox.supervisor = supervisor

        // The event loops serve every listener and connection; they are shut down when this
        // call ends, whichever way it ends.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.eventLoopThreads > 0 ? configuration.eventLoopThreads : System.coreCount)
        do {
            let operatorConnections = ConnectionLimiter(limit: limits.maxConnections)
            let tcpConnections = ConnectionLimiter(limit: limits.maxConnections)
            let clients: @Sendable () -> Int = { operatorConnections.count + tcpConnections.count }
            let parts = HostParts(
                configuration: configuration, router: router, table: table, secrets: secrets, supervisor: supervisor, access: access,
                auditTrail: auditTrail, database: database, group: group, tls: tls, pluginSocket: pluginSocket, logger: logger,
                liveness: liveness, metrics: metrics,
                metricsResponder: Self.metricsResponder(metrics: metrics, table: table, database: database, auditTrail: auditTrail,
                                                        auditDatabasePath: configuration.effectiveAuditDatabasePath,
                                                        router: router, clients: clients),
                operatorConnections: operatorConnections, tcpConnections: tcpConnections)
            let listeners = try await parts.bindListeners()
            let plural = configuration.enabledPlugins.isEmpty ? "none" : configuration.enabledPlugins.joined(separator: ", ")
            let tcpNote = listeners.tcp.map { " tcp \(configuration.tcpListen.split(separator: ":").dropLast().joined(separator: ":")):\($0.channel.localAddress?.port ?? 0)\(tls == nil ? " (no TLS, loopback only)" : " (TLS)")," } ?? ""
            let metricsNote = listeners.metrics.map { " metrics http://\(configuration.metrics.endpoint?.host ?? ""):\($0.port)," } ?? ""
            let line = "xinyu-host \(HostStatusService.version) ready: socket \(configuration.socketPath),\(tcpNote)\(metricsNote) database \(databasePath), plugins: \(plural)"
            var services = parts.services(listeners: listeners, onPluginsLaunched: { ready(line) })
            if stopAtStandardInputEOF {
                services.append(ServiceGroupConfiguration.ServiceConfiguration(
                    service: StandardInputWatch(), successTerminationBehavior: .gracefullyShutdownGroup,
                    failureTerminationBehavior: .gracefullyShutdownGroup, serviceName: "standard input watch"))
            }
            let serviceGroup = ServiceGroup(configuration: ServiceGroupConfiguration(
                services: services,
                gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [],
                logger: logger))
            try await serviceGroup.run()
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        try? await group.shutdownGracefully()
        logger.info("stopped")
    }
}

extension HostServer {
    /// The answers of the metrics endpoint, over the host's parts.
    static func metricsResponder(metrics: HostMetrics, table: RoutingTable, database: SharedDatabase, auditTrail: AuditTrail, auditDatabasePath: String,
                                 router: CallRouter, clients: @escaping @Sendable () -> Int) -> MetricsResponder {
        let sampler = MetricsSampler(
            metrics: metrics, table: table, database: database, auditDatabasePath: auditDatabasePath,
            auditBacklog: { auditTrail.writer.pendingCount }, callsInFlight: { router.inFlightCount }, clientConnections: clients)
        return MetricsResponder(metrics: metrics, sampler: sampler, readiness: Readiness(table: table, database: database))
    }
}

extension HostServer: Service {
    /// Runs the host inside a larger service group, which decides when it stops.
    public func run() async throws {
        try await run(handleSignals: false)
    }
}

/// Breaks the construction cycle between the host's own services and the routing table.
final class TableBox: @unchecked Sendable {
    // @unchecked: written once during start-up before any call can read it.
    var table: RoutingTable?
}

/// Breaks the cycle between the admin service and the supervisor, which needs the routing table.
final class SupervisorBox: @unchecked Sendable {
    // @unchecked: written once during start-up before any call can read it.
    var supervisor: PluginSupervisor?
}

/// Breaks the cycle between the host dispatcher (which needs a caller) and the router.
final class RouterBox: @unchecked Sendable {
    // @unchecked: written once during start-up before any call can read it.
    var router: CallRouter?
}
