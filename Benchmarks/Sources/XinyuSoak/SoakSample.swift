import BenchHarness
import Foundation

/// One sample of a soak: when, every process's resident memory, and each plugin's calls per
/// second since the previous sample.
struct SoakSample: Sendable {
    /// Seconds since the load started.
    var seconds: Double
    /// Resident set (VmRSS) in KiB by process: "host" and each plugin's name.
    var rssKiB: [String: Int]
    /// Answered calls per second by plugin (OK ones), over the interval before this sample.
    var callsPerSecond: [String: Double]
    /// Failed calls per second over the same interval, all plugins together.
    var failedPerSecond: Double
    /// Restarts of every plugin together, as the host counts them.
    var restarts: Int
}

/// Takes samples while the load runs: process ids from the host's Status (a restarted plugin
/// has a new one), RSS from /proc, call counts from the workers' counters.
struct SoakSampler {
    let host: SoakHost
    let counters: SoakCounters
    let plugins: [String]
    private var previous: (at: Date, totals: [String: SoakCounters.Totals])
    private let started: Date

    init(host: SoakHost, counters: SoakCounters, plugins: [String], started: Date) {
        self.host = host
        self.counters = counters
        self.plugins = plugins
        self.started = started
        previous = (started, counters.snapshot)
    }

    /// Takes one sample now.
    mutating func sample() async throws -> SoakSample {
        let states = try await host.pluginStates()
        let now = Date()
        let totals = counters.snapshot
        let interval = max(now.timeIntervalSince(previous.at), 0.001)
        var rss: [String: Int] = ["host": ProcessMemory.read(pid: host.pid)?.rssKiB ?? 0]
        var rates: [String: Double] = [:]
        var failed = 0
        for plugin in plugins {
            if let pid = states[plugin]?.pid, pid > 0 { rss[plugin] = ProcessMemory.read(pid: pid)?.rssKiB ?? 0 } else { rss[plugin] = 0 }
            let before = previous.totals[plugin] ?? .init(), after = totals[plugin] ?? .init()
            rates[plugin] = Double(after.ok - before.ok) / interval
            failed += after.failed - before.failed
        }
        previous = (now, totals)
        let restarts = plugins.reduce(0) { $0 + Int(states[$1]?.restarts ?? 0) }
        return SoakSample(seconds: now.timeIntervalSince(started), rssKiB: rss, callsPerSecond: rates, failedPerSecond: Double(failed) / interval, restarts: restarts)
    }
}
