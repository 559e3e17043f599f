import BenchAPI
import BenchHarness
import Foundation
import XinyuStore

/// W1–W4 against the host and, where the issue asks, the floor, the peer and direct calls.
struct Workloads: Sendable {
    let settings: RunSettings
    let keys: Keys
    let hostProcesses: [String: Int32]
    let hasCrisis: Bool
    let host: HostTarget
    let floor: FloorTarget
    let peer: PeerTarget
    let peerPID: Int32
    let floorPID: Int32
    let direct: DirectTarget

    var d: Double { settings.duration }
    var w: Double { settings.warmup }

    /// Runs `body` while sampling the RSS of `pids`; returns its result and the peaks in MiB.
    func sampled<T>(_ pids: [String: Int32], _ body: () async throws -> T) async rethrows -> (T, [String: Double]) {
        let sampler = MemorySampler(pids: Array(pids.values))
        let value = try await body()
        let peaks = sampler.stop()
        var named: [String: Double] = [:]
        for (name, pid) in pids { named[name] = peaks[pid].map { Double($0) / 1024 } }
        return (value, named)
    }

    /// W1: routed point read of a student's warning level.
    func w1(_ report: inout Report) async throws {
        for c in settings.concurrency {
            if settings.baselines.contains("floor") {
                let (f, fr) = try await sampled(["floor": floorPID]) { try await floor.run(c, d, w, keys: keys) }
                report.add(ResultRow(workload: "W1 point read", target: "floor (NIO echo)", concurrency: c.description, stats: f, rssMiB: fr))
            }
            if hasCrisis {
                let (h, hr) = try await sampled(hostProcesses) {
                    try await host.run(CrisisMethods.getWarningLevel, c, d, w) { keys.levelRequest($0, $1) }
                }
                report.add(ResultRow(workload: "W1 point read", target: "xinyu host → crisis", concurrency: c.description, stats: h, rssMiB: hr))
            }
            if settings.baselines.contains("peer") {
                let (p, pr) = try await sampled(["peer": peerPID]) {
                    try await peer.run(c, d, w) { client, slot, n in _ = try await client.getWarningLevel(keys.levelRequest(slot, n)) }
                }
                report.add(ResultRow(workload: "W1 point read", target: "gRPC peer (HTTP/2)", concurrency: c.description, stats: p, rssMiB: pr))
            }
            if settings.baselines.contains("direct") {
                let x = try await direct.run(CrisisMethods.getWarningLevel, c, d, w) { keys.levelRequest($0, $1) }
                report.add(ResultRow(workload: "W1 point read", target: "direct (in-process)", concurrency: c.description, stats: x))
            }
        }
    }

    /// W2: routed durable single write (an extra follow-up on an open case).
    func w2(_ report: inout Report) async throws {
        guard !keys.openCases.isEmpty else {
            report.add(ResultRow(workload: "W2 durable write", target: "–", concurrency: "–", note: "skipped: no crisis tables (crisis plugin not built)"))
            return
        }
        for c in settings.concurrency {
            if hasCrisis {
                let (h, hr) = try await sampled(hostProcesses) {
                    try await host.run(CrisisMethods.recordFollowUp, c, d, w) { keys.followUpRequest($0, $1) }
                }
                report.add(ResultRow(workload: "W2 durable write", target: "xinyu host → crisis", concurrency: c.description, stats: h, rssMiB: hr))
            }
            if settings.baselines.contains("peer") {
                let (p, pr) = try await sampled(["peer": peerPID]) {
                    try await peer.run(c, d, w) { client, slot, n in _ = try await client.recordFollowUp(keys.followUpRequest(slot, n)) }
                }
                report.add(ResultRow(workload: "W2 durable write", target: "gRPC peer (1 txn/write)", concurrency: c.description, stats: p, rssMiB: pr))
            }
            guard settings.baselines.contains("direct") else { continue }
            let x = try await direct.run(CrisisMethods.recordFollowUp, c, d, w) { keys.followUpRequest($0, $1) }
            report.add(ResultRow(workload: "W2 durable write", target: "direct (in-process)", concurrency: c.description, stats: x))
            // One transaction per write at the same durability (synchronous=FULL), in-process:
            // what group commit is measured against.
            let store = direct.dispatcher.database
            let y = try await LoadRunner.run(
                connections: c.connections, inFlight: c.inFlight, duration: d, warmup: w, connect: { store },
                call: { store, slot, n in
                    let r = keys.followUpRequest(slot, n)
                    let now = Int64(Date().timeIntervalSince1970 * 1000)
                    _ = try await store.write { db in
                        try BenchQueries.recordFollowUp(db, caseID: Int64(r.caseID)!, heldOn: r.heldOn, summary: r.summary, by: "operator", nowMs: now)
                    }
                }, close: { _ in })
            report.add(ResultRow(workload: "W2 durable write", target: "1 txn/write (in-process)", concurrency: c.description, stats: y))
        }
    }
}
