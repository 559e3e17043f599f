import Foundation

/// The soak's results: the samples as CSV (for the plot) and markdown, each process's RSS trend
/// after warm-up, each plugin's throughput, and the verdict.
struct SoakReport {
    let samples: [SoakSample]
    let plugins: [String]
    let totals: [String: SoakCounters.Totals]
    let warmupSeconds: Double
    let maxGrowthPercent: Double
    let settings: String

    var processes: [String] { ["host"] + plugins }

    /// A least-squares line through one process's RSS (MiB) over the samples after warm-up.
    struct Trend {
        var process: String
        var slopeMiBPerMinute: Double
        /// The line's value where the measured window starts and ends.
        var startMiB: Double
        var endMiB: Double
        var minMiB: Double
        var maxMiB: Double
        var growthPercent: Double { startMiB > 0 ? (endMiB - startMiB) / startMiB * 100 : 0 }
    }

    var measured: [SoakSample] { samples.filter { $0.seconds >= warmupSeconds } }

    func trend(_ process: String) -> Trend? {
        let points = measured.map { ($0.seconds / 60, Double($0.rssKiB[process] ?? 0) / 1024) }
        guard points.count >= 3, let first = points.first, let last = points.last else { return nil }
        let n = Double(points.count)
        let meanX = points.reduce(0) { $0 + $1.0 } / n, meanY = points.reduce(0) { $0 + $1.1 } / n
        let sxx = points.reduce(0) { $0 + ($1.0 - meanX) * ($1.0 - meanX) }
        let sxy = points.reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanY) }
        let slope = sxx > 0 ? sxy / sxx : 0
        let at = { (x: Double) in meanY + slope * (x - meanX) }
        return Trend(process: process, slopeMiBPerMinute: slope, startMiB: at(first.0), endMiB: at(last.0),
                     minMiB: points.map(\.1).min() ?? 0, maxMiB: points.map(\.1).max() ?? 0)
    }

    /// Why the run failed, or empty when it passed.
    var failures: [String] {
        var reasons: [String] = []
        if measured.count < 3 { reasons.append("only \(measured.count) samples after warm-up: run longer than the warm-up") }
        for process in processes {
            if let trend = trend(process), trend.growthPercent > maxGrowthPercent {
                reasons.append(String(format: "%@ RSS grew %.1f %% after warm-up (%.1f → %.1f MiB, %.2f MiB/min), more than %.1f %%",
                                      process, trend.growthPercent, trend.startMiB, trend.endMiB, trend.slopeMiBPerMinute, maxGrowthPercent))
            }
        }
        for plugin in plugins where (totals[plugin]?.ok ?? 0) == 0 { reasons.append("\(plugin) answered no call") }
        if let restarts = samples.last?.restarts, restarts > 0 { reasons.append("plugins restarted \(restarts) time(s) during the run") }
        return reasons
    }

    var csv: String {
        var lines = [(["t_s"] + processes.map { "\($0)_rss_mib" } + plugins.map { "\($0)_calls_s" } + ["total_calls_s", "failed_calls_s", "restarts"]).joined(separator: ",")]
        for s in samples {
            var fields = [String(format: "%.1f", s.seconds)]
            fields += processes.map { String(format: "%.2f", Double(s.rssKiB[$0] ?? 0) / 1024) }
            fields += plugins.map { String(format: "%.1f", s.callsPerSecond[$0] ?? 0) }
            fields.append(String(format: "%.1f", s.callsPerSecond.values.reduce(0, +)))
            fields.append(String(format: "%.2f", s.failedPerSecond))
            fields.append(String(s.restarts))
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var markdown: String {
        let duration = samples.last?.seconds ?? 0
        var md = "# Soak run\n\n\(settings)\n\n"
        md += "Verdict: " + (failures.isEmpty ? "**PASS**: RSS of every process grew at most \(fmt(maxGrowthPercent)) % after warm-up, every plugin answered, none restarted." : "**FAIL**\n" + failures.map { "- \($0)" }.joined(separator: "\n")) + "\n\n"
        md += "## RSS after warm-up (\(fmt(warmupSeconds / 60)) of \(fmt(duration / 60)) min; least-squares line through the samples)\n\n"
        md += "| process | start (MiB) | end (MiB) | growth | slope (MiB/min) | min–max (MiB) |\n| --- | ---: | ---: | ---: | ---: | ---: |\n"
        for process in processes {
            guard let t = trend(process) else { continue }
            md += "| \(process) | \(fmt(t.startMiB)) | \(fmt(t.endMiB)) | \(fmt(t.growthPercent)) % | \(String(format: "%.3f", t.slopeMiBPerMinute)) | \(fmt(t.minMiB))–\(fmt(t.maxMiB)) |\n"
        }
        md += "\n## Calls over the whole run\n\n| plugin | OK | failed | OK/s (mean) | first failures |\n| --- | ---: | ---: | ---: | --- |\n"
        for plugin in plugins {
            let t = totals[plugin] ?? .init()
            md += "| \(plugin) | \(t.ok) | \(t.failed) | \(fmt(duration > 0 ? Double(t.ok) / duration : 0)) | \(t.examples.joined(separator: "; ").replacingOccurrences(of: "|", with: "/")) |\n"
        }
        md += "\n## Samples\n\n| t (s) | " + processes.map { "\($0) RSS (MiB)" }.joined(separator: " | ") + " | " + plugins.map { "\($0) calls/s" }.joined(separator: " | ") + " | failed/s |\n"
        md += "|" + String(repeating: " ---: |", count: 2 + processes.count + plugins.count) + "\n"
        for s in samples {
            md += "| \(fmt(s.seconds)) | " + processes.map { fmt(Double(s.rssKiB[$0] ?? 0) / 1024) }.joined(separator: " | ") + " | "
                + plugins.map { fmt(s.callsPerSecond[$0] ?? 0) }.joined(separator: " | ") + " | \(fmt(s.failedPerSecond)) |\n"
        }
        return md
    }

    private func fmt(_ value: Double) -> String { String(format: "%.1f", value) }
}
