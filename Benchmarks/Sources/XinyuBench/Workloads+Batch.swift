import BenchHarness
import Foundation
import SwiftProtobuf
import XinyuCrisisAPI

extension Workloads {
    /// W3: a screening round of PHQ-A results imported through the protocol in batches of
    /// 10,000 (scored, levelled and stored by the plugin), two batches in flight.
    func w3(_ report: inout Report) async throws {
        guard hasCrisis else {
            report.add(ResultRow(workload: "W3 bulk import", target: "–", concurrency: "–", note: "skipped: crisis plugin not built"))
            return
        }
        let total = settings.screeningResults > 0 ? settings.screeningResults : settings.shape.students
        let batchSize = 10_000
        let batches = (0..<((total + batchSize - 1) / batchSize)).map { b -> [UInt8] in
            var request = Xinyu_Crisis_V1_SubmitScreeningBatchRequest()
            var rng = SplitMix64(seed: UInt64(b) &+ 77)
            request.submissions = (b * batchSize..<min(total, (b + 1) * batchSize)).map { n in
                var s = Xinyu_Crisis_V1_ScreeningSubmission()
                s.studentID = CityShape.studentID(n % settings.shape.students)
                s.instrumentID = "phq-a"
                // A round per pass over the city: a round holds one result per student and
                // instrument, and a second result of the same round would be skipped, not stored.
                s.roundID = "2024-autumn-\(n / settings.shape.students)"
                s.takenOn = "2024-10-08"
                // Mostly low scores, a few high ones and a few item-9 positives, as in a real round.
                let severe = rng.next() % 100 < 4
                s.answers = (0..<9).map { i in Int32(severe ? 1 + rng.next() % 3 : (i == 8 ? 0 : rng.next() % 2)) }
                s.extras = ["suicidal_thoughts_past_month": severe && rng.next() % 4 == 0, "past_attempt": false]
                return s
            }
            return try! request.serializedBytes()
        }
        let client = try await BenchAuth.workloadClient(socketPath: host.socketPath, token: host.token, group: host.group)
        let sampler = MemorySampler(pids: Array(hostProcesses.values))
        let start = Date()
        var accepted: Int64 = 0
        var latencies = LatencyStats.histogram()
        try await withThrowingTaskGroup(of: (Int64, UInt64).self) { group in
            var next = 0
            func submit(_ bytes: [UInt8]) {
                group.addTask {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    let answer = try Xinyu_Crisis_V1_SubmitScreeningBatchResponse(
                        serializedBytes: try await client.callRaw(CrisisMethods.submitScreeningBatch, request: bytes))
                    guard !answer.nothingChanged else { throw BenchError("W3: a batch was refused: \(answer.errors.prefix(3))") }
                    return (answer.accepted, DispatchTime.now().uptimeNanoseconds - t0)
                }
            }
            while next < min(2, batches.count) { submit(batches[next]); next += 1 }
            while let (n, ns) = try await group.next() {
                accepted += n
                _ = latencies.record(ns)
                if next < batches.count { submit(batches[next]); next += 1 }
            }
        }
        let seconds = Date().timeIntervalSince(start)
        let peaks = sampler.stop()
        await client.close()
        var stats = LatencyStats(histogram: latencies, errors: 0, seconds: seconds)
        stats.calls = UInt64(batches.count)
        var rss: [String: Double] = [:]
        for (name, pid) in hostProcesses { rss[name] = peaks[pid].map { Double($0) / 1024 } }
        report.add(ResultRow(workload: "W3 bulk import", target: "xinyu host → crisis", concurrency: "1×2", stats: stats,
                             rate: Double(accepted) / seconds, rateUnit: "results/s", rssMiB: rss,
                             note: "\(accepted) results in \(batches.count) batches, \(String(format: "%.2f", seconds)) s; latency per batch"))
    }

    /// W4: city-wide statistics (students per level per school, plan coverage, rounds) over the
    /// seeded data and the W3 round, one call at a time.
    func w4(_ report: inout Report) async throws {
        guard hasCrisis else {
            report.add(ResultRow(workload: "W4 statistics", target: "–", concurrency: "–", note: "skipped: crisis plugin not built"))
            return
        }
        let stats = try await host.run(CrisisMethods.getStatistics, Concurrency(connections: 1, inFlight: 1), d, min(w, 0.5)) { _, _ in
            Xinyu_Crisis_V1_GetStatisticsRequest()
        }
        report.add(ResultRow(workload: "W4 statistics", target: "xinyu host → crisis", concurrency: "1×1", stats: stats, note: "city-wide, every school"))
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
            if let h = row("W2", "xinyu", c)?.stats, let x = row("W2", "1 txn", c)?.stats {
                lines.append("W2 \(c) rate vs one transaction per write (in-process): \(ratio(h.throughput, x.throughput)) (target ≥ 3× at 4×64): \(c == "4×64" ? (h.throughput >= 3 * x.throughput ? "met" : "NOT met") : "–")")
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
        lines += Workloads.workbenchTargets(report)
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
