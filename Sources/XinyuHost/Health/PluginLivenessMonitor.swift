import Foundation
import Logging
import NIOConcurrencyHelpers
import XinyuRPC

/// Finds hung plugins: pings every ready plugin on its connection, and runs one
/// ``HangDetector`` per connection to decide when it is degraded, ready again, or to be
/// restarted. What it decides shows in the ``RoutingTable`` (state `degraded`, unresponsive
/// since), which ``CallRouter`` reads to fail new calls fast; a restart is asked of the
/// supervisor, which kills the process (SIGKILL) and restarts it through its usual backoff.
final class PluginLivenessMonitor: Sendable {
    private struct Watched {
        let connection: RPCConnection
        let pid: Int32
        var detector: HangDetector
    }

    private let table: RoutingTable
    let settings: HangDetector.Settings
    private let logger: Logger
    /// Asks the supervisor to kill a hung plugin: name, pid, why (for its log and `last_error`).
    private let restart: @Sendable (String, Int32, String) -> Void
    private let watched = NIOLockedValueBox<[String: Watched]>([:])

    init(table: RoutingTable, settings: HangDetector.Settings, logger: Logger,
         restart: @escaping @Sendable (String, Int32, String) -> Void) {
        self.table = table
        self.settings = settings
        self.logger = logger
        self.restart = restart
    }

    convenience init(table: RoutingTable, configuration: HostConfiguration, logger: Logger,
                     restart: @escaping @Sendable (String, Int32, String) -> Void) {
        let settings = HangDetector.Settings(
            interval: .milliseconds(configuration.livenessIntervalMs), timeout: .milliseconds(configuration.livenessTimeoutMs),
            restartAfter: configuration.hungRestartMs > 0 ? .milliseconds(configuration.hungRestartMs) : nil)
        self.init(table: table, settings: settings, logger: logger, restart: restart)
    }

    /// How often ``check(now:)`` runs: often enough to see a missed answer soon after its timeout.
    var tickInterval: Duration { max(.milliseconds(10), min(settings.interval, settings.timeout) / 4) }

    /// Pings and checks every plugin that is ready or degraded, at `now`.
    func check(now: ContinuousClock.Instant = .now) {
        let live = table.records.filter { ($0.state == .ready || $0.state == .degraded) && $0.connection != nil }
        let due: [(String, Watched, [HangDetector.Action])] = watched.withLockedValue { watched in
            // A new connection (the plugin restarted) starts with a fresh detector.
            watched = watched.filter { name, entry in live.contains { $0.name == name && $0.connection === entry.connection } }
            for record in live where watched[record.name] == nil {
                watched[record.name] = Watched(connection: record.connection!, pid: record.pid, detector: HangDetector(settings: settings))
            }
            return watched.keys.sorted().compactMap { name in
                let actions = watched[name]!.detector.tick(now: now)
                return actions.isEmpty ? nil : (name, watched[name]!, actions)
            }
        }
        for (name, entry, actions) in due { perform(actions, plugin: name, entry: entry) }
    }

    /// A call forwarded to `plugin` ended DEADLINE_EXCEEDED: look at it now.
    func callTimedOut(plugin: String, now: ContinuousClock.Instant = .now) {
        let due = watched.withLockedValue { watched -> (Watched, [HangDetector.Action])? in
            guard watched[plugin] != nil else { return nil }
            let actions = watched[plugin]!.detector.callTimedOut(now: now)
            return (watched[plugin]!, actions)
        }
        if let (entry, actions) = due { perform(actions, plugin: plugin, entry: entry) }
    }

    private func answered(_ token: UInt64, plugin: String, connection: RPCConnection) {
        let now = ContinuousClock.now
        let due = watched.withLockedValue { watched -> (Watched, [HangDetector.Action])? in
            guard let entry = watched[plugin], entry.connection === connection else { return nil }
            let actions = watched[plugin]!.detector.pong(token, now: now)
            return (entry, actions)
        }
        if let (entry, actions) = due { perform(actions, plugin: plugin, entry: entry) }
    }

    private func perform(_ actions: [HangDetector.Action], plugin: String, entry: Watched) {
        let connection = entry.connection
        for action in actions {
            switch action {
            case .ping(let token):
                connection.ping { [weak self] in self?.answered(token, plugin: plugin, connection: connection) }
            case .degraded(let since):
                let sinceDate = Date().addingTimeInterval(-Self.seconds(ContinuousClock.now - since))
                table.update(plugin) { record in
                    guard record.state == .ready, record.connection === connection else { return }
                    record.state = .degraded
                    record.unresponsiveSince = sinceDate
                }
                logger.warning("plugin is not answering pings; new calls to it answer UNAVAILABLE until it answers or is restarted", metadata: [
                    "plugin": "\(plugin)", "pid": "\(entry.pid)", "ping_timeout_ms": "\(Self.milliseconds(settings.timeout))",
                    "restart_after_ms": "\(settings.restartAfter.map { "\(Self.milliseconds($0))" } ?? "never")",
                ])
            case .recovered(let after):
                table.update(plugin) { record in
                    guard record.state == .degraded, record.connection === connection else { return }
                    record.state = .ready
                    record.unresponsiveSince = nil
                }
                logger.notice("plugin answers again; ready", metadata: ["plugin": "\(plugin)", "unresponsive_ms": "\(Self.milliseconds(after))"])
            case .restart(let after):
                let reason = "unresponsive for \(String(format: "%.1f", Self.seconds(after))) s (pings unanswered); killed (SIGKILL) to restart it"
                logger.warning("plugin hung; killing it to restart it", metadata: ["plugin": "\(plugin)", "pid": "\(entry.pid)", "unresponsive_ms": "\(Self.milliseconds(after))"])
                restart(plugin, entry.pid, reason)
            }
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
