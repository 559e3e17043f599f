import Foundation
import Logging
import XinyuRPC
import XinyuWire

/// Starts, watches and restarts plugin processes.
///
/// A plugin that exits or stops answering pings has its in-flight calls failed with
/// UNAVAILABLE and is restarted after a backoff (initial × multiplier^n, ±20 % jitter, capped).
/// Too many restarts within the crash-loop window mark it failed: it stays down, visible in
/// `xinyu plugins`, until the host restarts.
actor PluginSupervisor {
    private let configuration: HostConfiguration
    private let table: RoutingTable
    private let secrets: PluginSecrets
    private let logger: Logger
    private let pluginDirectory: URL
    private let pluginSocketPath: String
    private let databasePath: String
    private var processes: [String: PluginProcess] = [:]
    private var exitTimes: [String: [Date]] = [:]
    private var consecutiveFailures: [String: Int] = [:]
    private var stopping = false
    /// Plugins disabled at run time: their processes are stopped and not restarted.
    private var disabled: Set<String> = []

    init(configuration: HostConfiguration, table: RoutingTable, secrets: PluginSecrets, logger: Logger,
         pluginDirectory: URL, pluginSocketPath: String, databasePath: String) {
        self.configuration = configuration
        self.table = table
        self.secrets = secrets
        self.logger = logger
        self.pluginDirectory = pluginDirectory
        self.pluginSocketPath = pluginSocketPath
        self.databasePath = databasePath
    }

    /// The executable for a plugin name.
    static func executable(for name: String, in directory: URL) -> URL {
        directory.appendingPathComponent("xinyu-plugin-\(name)")
    }

    func startAll() {
        for name in configuration.enabledPlugins { launch(name) }
    }

    /// Starts a plugin enabled at run time. Throws when its executable is not installed.
    func enable(_ name: String) throws {
        let executable = Self.executable(for: name, in: pluginDirectory)
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw RPCError(.failedPrecondition, "plugin '\(name)' is not installed: \(executable.lastPathComponent) is not beside xinyu-host")
        }
        disabled.remove(name)
        guard processes[name] == nil else { return }
        table.addPlugin(name)
        launch(name)
    }

    /// Stops a plugin disabled at run time and keeps it down. Calls in flight to it end with
    /// UNAVAILABLE; new calls answer FAILED_PRECONDITION naming it.
    func disable(_ name: String) {
        disabled.insert(name)
        let connection = table.removePlugin(name)
        connection?.goAway(reason: "plugin '\(name)' was disabled by an administrator")
        processes[name]?.terminate()
        let process = processes[name]
        Task {
            try? await Task.sleep(for: .seconds(5))
            if let process, process.isRunning { process.kill() }
        }
    }

    func isInstalled(_ name: String) -> Bool {
        FileManager.default.isExecutableFile(atPath: Self.executable(for: name, in: pluginDirectory).path)
    }

    private func launch(_ name: String) {
        guard !stopping, !disabled.contains(name) else { return }
        let secret = secrets.issue(for: name)
        var environment = ProcessInfo.processInfo.environment
        environment["XINYU_PLUGIN_SOCKET"] = pluginSocketPath
        environment["XINYU_DATABASE"] = databasePath
        environment["XINYU_PLUGIN_NAME"] = name
        environment["XINYU_KEEPALIVE_MS"] = String(configuration.keepaliveMs)
        let settings = URL(fileURLWithPath: configuration.pluginSettingsDirectory).appendingPathComponent("\(name).toml").path
        environment["XINYU_PLUGIN_CONFIG"] = FileManager.default.fileExists(atPath: settings) ? settings : ""
        environment["XINYU_CITY_TIME_ZONE"] = configuration.cityCalendar.timeZoneIdentifier
        do {
            let process = try PluginProcess(
                name: name, executable: Self.executable(for: name, in: pluginDirectory), environment: environment,
                secret: secret, logger: logger
            ) { [weak self] how in
                guard let self else { return }
                Task { await self.processExited(name, how: how) }
            }
            processes[name] = process
            table.update(name) {
                $0.state = $0.restarts == 0 ? .starting : .restarting
                $0.pid = process.pid
                $0.nextStart = nil
            }
            logger.info("plugin started", metadata: ["plugin": "\(name)", "pid": "\(process.pid)"])
            let timeout = configuration.pluginStartTimeoutMs
            let pid = process.pid
            Task { [weak self] in
                try? await Task.sleep(for: .milliseconds(timeout))
                await self?.checkStarted(name, pid: pid)
            }
        } catch {
            table.update(name) { $0.lastError = "cannot start xinyu-plugin-\(name): \(error.localizedDescription)" }
            processExited(name, how: "could not be started (\(error.localizedDescription))", process: nil)
        }
    }

    private func checkStarted(_ name: String, pid: Int32) {
        guard let record = table.record(name), record.pid == pid, record.state != .ready, let process = processes[name], process.pid == pid else { return }
        logger.warning("plugin did not register in time; killing it", metadata: ["plugin": "\(name)", "timeout_ms": "\(configuration.pluginStartTimeoutMs)"])
        table.update(name) { $0.lastError = "did not connect within \(configuration.pluginStartTimeoutMs) ms of starting" }
        process.kill()
    }

    /// A plugin connected with a valid secret and manifest.
    func registered(_ name: String, connection: RPCConnection) {
        consecutiveFailures[name] = 0
        logger.info("plugin ready", metadata: ["plugin": "\(name)", "version": "\(table.record(name)?.version ?? "")"])
    }

    /// The plugin's connection to the host closed (it may still be running): make sure the
    /// process is gone so the exit path restarts it cleanly.
    func connectionLost(_ name: String, connection: RPCConnection, reason: String) {
        guard let record = table.record(name), record.connection === connection else { return }
        table.update(name) {
            $0.connection = nil
            if $0.state == .ready { $0.state = .restarting }
            $0.lastError = reason
        }
        if !stopping, let process = processes[name], process.isRunning {
            logger.warning("plugin connection lost; stopping the process to restart it", metadata: ["plugin": "\(name)", "reason": "\(reason)"])
            process.kill()
        }
    }

    private func processExited(_ name: String, how: String) {
        processExited(name, how: how, process: processes[name])
    }

    private func processExited(_ name: String, how: String, process: PluginProcess?) {
        processes[name] = nil
        let connection = table.record(name)?.connection
        table.update(name) {
            $0.connection = nil
            $0.readySince = nil
            $0.pid = 0
        }
        connection?.close(reason: "plugin '\(name)' \(how)")
        if disabled.contains(name) {
            logger.info("plugin stopped (disabled)", metadata: ["plugin": "\(name)"])
            return
        }
        if stopping {
            table.update(name) { $0.state = .stopped }
            return
        }
        let now = Date()
        let window = TimeInterval(configuration.crashLoopWindowMs) / 1000
        var history = (exitTimes[name] ?? []).filter { now.timeIntervalSince($0) < window }
        history.append(now)
        exitTimes[name] = history
        let failures = (consecutiveFailures[name] ?? 0) + 1
        consecutiveFailures[name] = failures
        if history.count > configuration.crashLoopRestarts {
            table.update(name) {
                $0.state = .failed
                $0.lastError = "crash loop: stopped \(history.count) times within \(configuration.crashLoopWindowMs / 1000) s; last: \(how)"
            }
            logger.error("plugin failed: crash loop; not restarting", metadata: ["plugin": "\(name)", "last": "\(how)"])
            return
        }
        let base = Double(configuration.restartInitialBackoffMs) * pow(configuration.restartMultiplier, Double(failures - 1))
        let capped = min(base, Double(configuration.restartMaxBackoffMs))
        let delayMs = Int(capped * Double.random(in: 0.8...1.2))
        table.update(name) {
            $0.state = .restarting
            $0.restarts += 1
            if $0.lastError.isEmpty || !$0.lastError.hasPrefix("did not connect") { $0.lastError = how }
            $0.nextStart = now.addingTimeInterval(Double(delayMs) / 1000)
        }
        logger.warning("plugin stopped; restarting", metadata: ["plugin": "\(name)", "how": "\(how)", "delay_ms": "\(delayMs)"])
        Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(delayMs))
            await self?.launch(name)
        }
    }

    /// Stops every plugin: go_away, SIGTERM, then SIGKILL after `grace`.
    func stopAll(grace: Duration) async {
        stopping = true
        for record in table.records { record.connection?.goAway(reason: "host is shutting down") }
        for process in processes.values { process.terminate() }
        let deadline = ContinuousClock.now + grace
        while processes.values.contains(where: \.isRunning), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        for process in processes.values where process.isRunning {
            logger.warning("plugin did not stop in time; killing it", metadata: ["plugin": "\(process.name)"])
            process.kill()
        }
        for record in table.records { table.update(record.name) { $0.state = .stopped } }
    }
}
