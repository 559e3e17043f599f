import BenchHarness
import Foundation

/// One line of the results table.
struct ResultRow: Codable, Sendable {
    var workload: String
    var target: String
    var concurrency: String
    var stats: LatencyStats?
    /// Units per second for batch workloads (results/s), when not calls/s.
    var rate: Double?
    var rateUnit: String?
    /// Peak RSS in MiB of each process that served the workload, by name.
    var rssMiB: [String: Double] = [:]
    var note: String = ""
}

/// Everything one run measured, printed as a table and saved as Markdown and JSON.
struct Report: Codable, Sendable {
    var machine: [String: String] = [:]
    var command = ""
    var seed: CitySeeder.Summary?
    var rows: [ResultRow] = []
    var targets: [String] = []

    mutating func add(_ row: ResultRow) {
        rows.append(row)
        print(Self.format(row))
        fflush(nil)
    }

    static let header = "| workload | target | C×M | calls/s | p50 µs | p99 µs | p99.9 µs | errors | peak RSS MiB | note |\n|---|---|---|---:|---:|---:|---:|---:|---|---|"

    static func format(_ r: ResultRow) -> String {
        func n(_ v: Double) -> String { v >= 100 ? String(Int(v.rounded())) : String(format: "%.1f", v) }
        let rate = r.rate.map { "\(n($0)) \(r.rateUnit ?? "")" } ?? r.stats.map { n($0.throughput) } ?? "–"
        let rss = r.rssMiB.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.1f", $0.value))" }.joined(separator: ", ")
        return "| \(r.workload) | \(r.target) | \(r.concurrency) | \(rate) | \(r.stats.map { n($0.p50) } ?? "–") | \(r.stats.map { n($0.p99) } ?? "–") | \(r.stats.map { n($0.p999) } ?? "–") | \(r.stats.map { String($0.errors) } ?? "–") | \(rss) | \(r.note) |"
    }

    var markdown: String {
        var s = "## Machine\n\n"
        for (k, v) in machine.sorted(by: { $0.key < $1.key }) { s += "- \(k): \(v)\n" }
        s += "\nCommand: `\(command)`\n\n"
        if let seed { s += "Seeded: \(seed.schools) schools, \(seed.classes) classes, \(seed.students) students, \(seed.staff) staff, \(seed.levelled) at levels 1–3, \(seed.openCases) open cases, \(seed.followUps) follow-ups, \(seed.screeningResults) earlier screening results, in \(String(format: "%.1f", seed.seconds)) s.\n\n" }
        s += Self.header + "\n" + rows.map(Self.format).joined(separator: "\n") + "\n\n## Targets\n\n"
        s += targets.map { "- \($0)" }.joined(separator: "\n") + "\n"
        return s
    }

    /// The machine the run was on: cores, CPU model, memory, Swift version.
    static func describeMachine() -> [String: String] {
        var m: [String: String] = ["cores": String(ProcessInfo.processInfo.activeProcessorCount)]
        if let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = cpu.split(separator: "\n").first(where: { $0.hasPrefix("model name") }) {
            m["cpu"] = line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        m["memory"] = String(format: "%.1f GiB", Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824)
        m["os"] = ProcessInfo.processInfo.operatingSystemVersionString
        if let load = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) { m["load average at start"] = String(load.prefix(14)) }
        return m
    }
}
