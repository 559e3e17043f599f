import BenchHarness
import Foundation

extension Workloads {
    /// W3: a screening round imported through the protocol. Needs the crisis API (merged later).
    func w3(_ report: inout Report) async throws {
        report.add(ResultRow(workload: "W3 bulk import", target: "xinyu host → crisis", concurrency: "–", note: "not yet wired: needs the crisis API"))
    }

    /// W4: city-wide statistics. Needs the crisis API (merged later).
    func w4(_ report: inout Report) async throws {
        report.add(ResultRow(workload: "W4 statistics", target: "xinyu host → crisis", concurrency: "–", note: "not yet wired: needs the crisis API"))
    }
}

/// Where a run stands against the issue's targets.
enum Targets {
    static func evaluate(_ report: Report) -> [String] {
        func row(_ w: String, _ t: String, _ c: String) -> ResultRow? {
            report.rows.first { $0.workload.hasPrefix(w) && $0.target.hasPrefix(t) && $0.concurrency == c }
        }
        var lines: [String] = []
        func ratio(_ a: Double, _ b: Double) -> String { b > 0 ? String(format: "%.2f×", a / b) : "n/a" }
        if let h = row("W1", "xinyu", "4×64")?.stats, let p = row("W1", "gRPC", "4×64")?.stats {
            let ok1 = h.throughput >= 10 * p.throughput
            let ok2 = h.p99 <= p.p99 / 3
            lines.append("W1 4×64 throughput vs gRPC peer: \(ratio(h.throughput, p.throughput)) (target ≥ 10×): \(ok1 ? "met" : "NOT met")")
            lines.append("W1 4×64 p99 vs gRPC peer: \(ratio(h.p99, p.p99)) (target ≤ 0.33×): \(ok2 ? "met" : "NOT met")")
        }
        if let h = row("W1", "xinyu", "1×1")?.stats, let f = row("W1", "floor", "1×1")?.stats {
            lines.append("W1 1×1 p50 vs floor: \(ratio(h.p50, f.p50)) (target ≤ 3×): \(h.p50 <= 3 * f.p50 ? "met" : "NOT met")")
        }
        for c in ["1×1", "4×16", "4×64"] {
            if let h = row("W2", "xinyu", c)?.stats, let x = row("W2", "direct", c)?.stats {
                lines.append("W2 \(c) rate vs one transaction per write (direct): \(ratio(h.throughput, x.throughput)) (target ≥ 3× at 4×64): \(c == "4×64" ? (h.throughput >= 3 * x.throughput ? "met" : "NOT met") : "–")")
            }
        }
        if let r = report.rows.first(where: { $0.workload.hasPrefix("W3") }), let rate = r.rate {
            lines.append("W3 results/s end to end: \(Int(rate)) (target ≥ 50,000): \(rate >= 50_000 ? "met" : "NOT met")")
        }
        if let r = report.rows.first(where: { $0.workload.hasPrefix("W4") })?.stats {
            lines.append("W4 statistics p99: \(Int(r.p99 / 1000)) ms (target ≤ 200 ms per call): \(r.p99 <= 200_000 ? "met" : "NOT met")")
        }
        if let r = report.rows.first(where: { $0.workload.hasPrefix("W5") }) {
            let ms = r.note
            lines.append("W5 \(ms) (target ready ≤ 1.5 s)")
        }
        let under = report.rows.filter { $0.workload.hasPrefix("W1") && $0.target.hasPrefix("xinyu") }
        var peak: [String: Double] = [:]
        for r in under { for (k, v) in r.rssMiB { peak[k] = max(peak[k] ?? 0, v) } }
        for (k, v) in peak.sorted(by: { $0.key < $1.key }) {
            let limit = k == "host" ? 40.0 : 32.0
            lines.append("W5 \(k) peak RSS under W1: \(String(format: "%.1f", v)) MiB (target ≤ \(Int(limit)) MiB): \(v <= limit ? "met" : "NOT met")")
        }
        return lines
    }
}
