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
///
/// All of its waiting (restart backoffs, start timeouts, the grace before SIGKILL) happens in
/// child tasks of ``run(onStarted:)``, fed by one stream of ``Job``s, so none outlives it; see
/// ``PluginSupervisorService`` for how the host runs it.
actor PluginSupervisor {
    /// What the supervisor reacts to, posted from any thread (process exits, connections) or by
    /// its own timers, and handled one at a time in ``run(onStarted:)``.
    enum Job: Sendable {
        case exited(name: String, pid: Int32, how: String)
        case registered(name: String, connection: RPCConnection)
        case connectionLost(name: String, connection: RPCConnection, reason: String)
        /// A restart backoff ran out; `generation` tells a live backoff from a cancelled one.
        case restart(name: String, generation: Int)
        case checkStarted(name: String, pid: Int32)
        case killIfRunning(name: String, pid: Int32)
        /// The plugin stopped answering (``PluginLivenessMonitor``): kill it, restart as after a crash.
        case killHung(name: String, pid: Int32, reason: String)
        /// Stop every plugin: go_away, SIGTERM, SIGKILL after `grace`; run() returns once all exited.
        case stopAll(grace: Duration)
        case killStragglers
        /// Nothing to do but start timers added outside a job (enable, disable).
        case wake
    }

    /// What happened, for the host log's tests and anyone observing the supervisor.
    enum Event: Sendable, Equatable {
        case launched(name: String, pid: Int32)
        case restartScheduled(name: String, delayMs: Int)
        /// A backoff ran out after the plugin had been started another way (enabled again).
        case restartDropped(name: String)
        case stopped
    }

    private let configuration: HostConfiguration
    private let table: RoutingTable
    private let secrets: PluginSecrets
    private let logger: Logger
    private let pluginDirectory: URL
    private let pluginSocketPath: String
    private let databasePath: String
    private let observe: @Sendable (Event) -> Void
    private var processes: [String: any PluginProcessControl] = [:]
    private let launcher: PluginLauncher
    private var exitTimes: [String: [Date]] = [:]
    private var consecutiveFailures: [String: Int] = [:]
    /// Bumped whenever a plugin is started, so a backoff scheduled before that is dropped.
    private var generations: [String: Int] = [:]
    private var stopping = false
    /// Plugins disabled at run time: their processes are stopped and not restarted.
    private var disabled: Set<String> = []
    /// Timers to start as child tasks of run(): (delay, the job to post when it runs out).
    private var timers: [(Duration, Job)] = []

    nonisolated let jobs: AsyncStream<Job>
    private nonisolated let post: AsyncStream<Job>.Continuation

    init(configuration: HostConfiguration, table: RoutingTable, secrets: PluginSecrets, logger: Logger,
         pluginDirectory: URL, pluginSocketPath: String, databasePath: String,
         observe: @escaping @Sendable (Event) -> Void = { _ in }, launcher: PluginLauncher? = nil) {
        self.configuration = configuration
        self.table = table
        self.secrets = secrets
        self.logger = logger
        self.pluginDirectory = pluginDirectory
        self.pluginSocketPath = pluginSocketPath
        self.databasePath = databasePath
        self.observe = observe
        self.launcher = launcher ?? { name, executable, environment, secret, onExit in
            try PluginProcess(name: name, executable: executable, environment: environment, secret: secret, logger: logger, onExit: onExit)
        }
        (jobs, post) = AsyncStream.makeStream(of: Job.self)
    }

    /// The executable for a plugin name.
    static func executable(for name: String, in directory: URL) -> URL {
        directory.appendingPathComponent("xinyu-plugin-\(name)")
    }

    // MARK: Posting jobs (any thread)

    /// A plugin connected with a valid secret and manifest.
    nonisolated func registered(_ name: String, connection: RPCConnection) {
        post.yield(.registered(name: name, connection: connection))
    }

    /// The plugin's connection to the host closed (it may still be running).
    nonisolated func connectionLost(_ name: String, connection: RPCConnection, reason: String) {
        post.yield(.connectionLost(name: name, connection: connection, reason: reason))
    }

    /// The plugin `name` (process `pid`) has not answered for too long: kill it (SIGKILL) so that
    /// it restarts through the usual backoff; `reason` becomes its last error.
    nonisolated func killHung(_ name: String, pid: Int32, reason: String) {
        post.yield(.killHung(name: name, pid: pid, reason: reason))
    }

    /// Asks run() to stop every plugin (SIGTERM, then SIGKILL after `grace`) and return.
    nonisolated func requestStop(grace: Duration) {
        post.yield(.stopAll(grace: grace))
    }

    // MARK: Running

    /// Starts every enabled plugin, calls `onStarted`, then supervises until a stop is requested
    /// (``requestStop(grace:)``) and every process has exited. Cancelled, it kills the plugins.
    func run(onStarted: @Sendable () -> Void = {}) async {
        for name in configuration.enabledPlugins { launch(name) }
        onStarted()
        await withDiscardingTaskGroup { group in
            startTimers(in: &group)
            for await job in jobs {
                handle(job)
                startTimers(in: &group)
                if stopping && processes.isEmpty { break }
            }
            group.cancelAll()
        }
        if !processes.isEmpty {
            // Cancelled rather than stopped: nothing may outlive the host.
            for process in processes.values { process.kill() }
        }
        post.finish()
        for record in table.records { table.update(record.name) { $0.state = .stopped } }
        observe(.stopped)
    }

    private func startTimers(in group: inout DiscardingTaskGroup) {
        let due = timers
        timers.removeAll()
        for (delay, job) in due {
            group.addTask { [post] in
                do { try await Task.sleep(for: delay) } catch { return }
                post.yield(job)
            }
        }
    }

    /// Posts `job` after `delay`, from a child task of run(); a wake-up makes run() start it
    /// even when this is called from outside a job (enable, disable).
    private func after(_ delay: Duration, _ job: Job) {
        timers.append((delay, job))
        post.yield(.wake)
    }

    private func handle(_ job: Job) {
        switch job {
        case .exited(let name, let pid, let how):
            guard let process = processes[name], process.pid == pid else { return }
            processExited(name, how: how, process: process)
        case .registered(let name, _):
            consecutiveFailures[name] = 0
            logger.info("plugin ready", metadata: ["plugin": "\(name)", "version": "\(table.record(name)?.version ?? "")"])
        case .connectionLost(let name, let connection, let reason):
            handleConnectionLost(name, connection: connection, reason: reason)
        case .restart(let name, let generation):
            guard generations[name, default: 0] == generation, processes[name] == nil else {
                observe(.restartDropped(name: name))
                return
            }
            launch(name)
        case .checkStarted(let name, let pid):
            checkStarted(name, pid: pid)
        case .killIfRunning(let name, let pid):
            if let process = processes[name], process.pid == pid, process.isRunning { process.kill() }
        case .killHung(let name, let pid, let reason):
            guard !stopping, let process = processes[name], process.pid == pid, process.isRunning else { return }
            table.update(name) { $0.lastError = reason }
            logger.warning("plugin hung; killing it (SIGKILL) to restart it", metadata: ["plugin": "\(name)", "pid": "\(pid)", "reason": "\(reason)"])
            process.kill()
        case .stopAll(let grace):
            beginStop(grace: grace)
        case .wake:
            break
        case .killStragglers:
            for process in processes.values where process.isRunning {
                logger.warning("plugin did not stop in time; killing it", metadata: ["plugin": "\(process.name)"])
                process.kill()
            }
        }
    }

    // MARK: Enabling and disabling at run time

    /// Starts a plugin enabled at run time. Throws when its executable is not installed.
    ///
    /// A plugin waiting out a restart backoff is started now, and the backoff is dropped, so
    /// one plugin never runs as two processes.
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
        guard let process = processes[name] else { return }
        process.terminate()
        after(.seconds(5), .killIfRunning(name: name, pid: process.pid))
    }

    func isInstalled(_ name: String) -> Bool {
        FileManager.default.isExecutableFile(atPath: Self.executable(for: name, in: pluginDirectory).path)
    }

    // MARK: Process lifecycle

    private func launch(_ name: String) {
        guard !stopping, !disabled.contains(name), processes[name] == nil else { return }
        // Any backoff still pending for this plugin is now stale.
        generations[name, default: 0] += 1
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
            let post = self.post
            let process = try launcher(name, Self.executable(for: name, in: pluginDirectory), environment, secret) { pid, how in
                post.yield(.exited(name: name, pid: pid, how: how))
            }
            processes[name] = process
            table.update(name) {
                $0.state = $0.restarts == 0 ? .starting : .restarting
                $0.pid = process.pid
                $0.nextStart = nil
            }
            logger.info("plugin started", metadata: ["plugin": "\(name)", "pid": "\(process.pid)"])
            observe(.launched(name: name, pid: process.pid))
            after(.milliseconds(configuration.pluginStartTimeoutMs), .checkStarted(name: name, pid: process.pid))
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

    /// The plugin's connection to the host closed (it may still be running): make sure the
    /// process is gone so the exit path restarts it cleanly.
    private func handleConnectionLost(_ name: String, connection: RPCConnection, reason: String) {
        guard let record = table.record(name), record.connection === connection else { return }
        table.update(name) {
            $0.connection = nil
            if $0.state == .ready || $0.state == .degraded { $0.state = .restarting }
            $0.lastError = reason
        }
        if !stopping, let process = processes[name], process.isRunning {
            logger.warning("plugin connection lost; stopping the process to restart it", metadata: ["plugin": "\(name)", "reason": "\(reason)"])
            process.kill()
        }
    }

    private func processExited(_ name: String, how: String, process: (any PluginProcessControl)?) {
        processes[name] = nil
        let connection = table.record(name)?.connection
        table.update(name) {
            $0.connection = nil
            $0.readySince = nil
            $0.pid = 0
            $0.unresponsiveSince = nil
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
            // Why the supervisor killed it says more than "killed by signal 9".
            if $0.lastError.hasPrefix("unresponsive for") {
                $0.lastError += " (\(how))"
            } else if $0.lastError.isEmpty || !$0.lastError.hasPrefix("did not connect") {
                $0.lastError = how
            }
            $0.nextStart = now.addingTimeInterval(Double(delayMs) / 1000)
        }
        logger.warning("plugin stopped; restarting", metadata: ["plugin": "\(name)", "how": "\(how)", "delay_ms": "\(delayMs)"])
        after(.milliseconds(delayMs), .restart(name: name, generation: generations[name, default: 0]))
        observe(.restartScheduled(name: name, delayMs: delayMs))
    }

    /// Go_away to every plugin, SIGTERM, and SIGKILL for those still running after `grace`.
    private func beginStop(grace: Duration) {
        guard !stopping else { return }
        stopping = true
        for record in table.records { record.connection?.goAway(reason: "host is shutting down") }
        for process in processes.values { process.terminate() }
        after(grace, .killStragglers)
    }
}

/// Starts a plugin process: name, executable, environment, secret, and the exit handler
/// (pid, how it ended). The host starts a ``PluginProcess``; tests pass a fake.
typealias PluginLauncher = @Sendable (String, URL, [String: String], String, @escaping @Sendable (Int32, String) -> Void) throws -> any PluginProcessControl

/// What the supervisor needs of a running plugin process.
protocol PluginProcessControl: AnyObject, Sendable {
    var name: String { get }
    var pid: Int32 { get }
    var isRunning: Bool { get }
    /// Asks it to stop (SIGTERM).
    func terminate()
    /// Stops it at once (SIGKILL).
    func kill()
}

extension PluginProcess: PluginProcessControl {}
