import Foundation
import Logging
import NIOCore
import NIOPosix
import XinyuRPC
import XinyuStore
import XinyuWire

/// Runs a plugin process: the one call a plugin's `main` makes.
///
/// It reads what the host passed (socket, database, one-time secret), applies the plugin's
/// migrations, connects and sends the manifest, then serves calls until the host goes away.
/// The process exits when the host connection closes or standard input reaches end of file
/// (the host died), so a plugin never outlives its host.
public enum PluginRuntime {
    /// Runs `plugin` until the host stops it. Exits the process with 0 on a clean stop and
    /// 70 (EX_SOFTWARE) or 78 (EX_CONFIG) when it cannot start, printing why on stderr.
    public static func run<P: XinyuPlugin>(_ plugin: P) async -> Never {
        restoreDefaultSignals()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["XINYU_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            return handler
        }
        var logger = Logger(label: "xinyu.plugin.\(plugin.name)")
        logger[metadataKey: "plugin"] = "\(plugin.name)"
        do {
            try await serve(plugin, logger: logger)
            exit(0)
        } catch let error as PluginStartError {
            FileHandle.standardError.write(Data("xinyu-plugin-\(plugin.name): \(error.description)\n".utf8))
            exit(78)
        } catch {
            logger.critical("plugin stopped", metadata: ["error": "\(error)"])
            exit(70)
        }
    }

    private static func serve<P: XinyuPlugin>(_ unconfigured: P, logger: Logger) async throws {
        let environment = try PluginEnvironment.fromProcess()
        let plugin: P
        do {
            plugin = try unconfigured.configured(with: try environment.settings())
        } catch let error as PluginStartError {
            throw error
        } catch {
            throw PluginStartError("settings \(environment.configPath ?? "(defaults)"): \(error)")
        }
        guard environment.name == unconfigured.name else {
            throw PluginStartError("started as '\(environment.name)' but this executable is the '\(plugin.name)' plugin; check the plugin name in the host's configuration")
        }
        guard let secret = readLine(strippingNewline: true), !secret.isEmpty else {
            throw PluginStartError("no secret on standard input; only xinyu-host can start a plugin")
        }
        let database = try SharedDatabase.open(path: environment.databasePath)
        try DirectoryReader.requireSchema(in: database)
        try database.migrate(owner: plugin.name, plugin.migrations)

        var registry = ServiceRegistry()
        plugin.register(&registry)
        let manifest = registry.manifest(name: plugin.name, version: plugin.version, schemaVersion: UInt32(plugin.migrations.count))

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let caller = LateBoundCaller()
        let dispatcher = ServiceDispatcher(owner: plugin.name, registry: registry, database: database, caller: caller, logger: logger, calendar: environment.calendar)
        let (closedStream, closedContinuation) = AsyncStream.makeStream(of: String.self)
        let delegate = PluginConnectionDelegate(dispatcher: dispatcher, logger: logger) { reason in
            closedContinuation.yield(reason)
        }
        var configuration = ConnectionConfiguration(name: "plugin \(plugin.name)")
        if let ms = environment.keepaliveMs {
            configuration.keepaliveInterval = .milliseconds(Int64(ms))
            configuration.keepaliveTimeout = .milliseconds(Int64(ms) * 3)
        }
        var credentials = Xinyu_Wire_V1_Credentials()
        credentials.pluginSecret = secret
        let connection = try await RPCConnector.connect(
            to: .unix(path: environment.socketPath), group: group, configuration: configuration,
            credentials: credentials, manifest: manifest, delegate: delegate, logger: logger)
        caller.bind(HostConnectionCaller(connection: connection))
        logger.info("ready", metadata: ["version": "\(plugin.version)", "methods": "\(registry.methods.count)"])

        ParentWatcher.start { closedContinuation.yield("standard input closed: the host is gone") }
        // Periodic jobs, start tasks and timers run beside the connection and stop with it.
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await dispatcher.runJobLoops() }
            group.addTask {
                await dispatcher.runStartTasks()
                StartupMemory.release()
                await dispatcher.runTimerLoop()
            }
            for await reason in closedStream {
                logger.info("stopping", metadata: ["reason": "\(reason)"])
                break
            }
            group.cancelAll()
        }
    }
}

extension PluginRuntime {
    /// The host ignores SIGTERM itself (it handles it as an event), and ignored signals are
    /// inherited across exec: restore the default so the host's SIGTERM stops a plugin.
    static func restoreDefaultSignals() {
        signal(SIGTERM, SIG_DFL)
        signal(SIGINT, SIG_DFL)
    }
}
