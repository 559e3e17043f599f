import BenchHarness
import Foundation
import XinyuClient
import XinyuCoreAPI

extension Workloads {
    /// Health p99 while two 10,000-row student roster dry-runs run at once (issue 17; target
    /// p99 < 50 ms). Health is called open-loop, one call every 2 ms on its own connection
    /// whether or not the last has answered, so a stall counts every call it held up; the same
    /// load without imports is the baseline. The imports run as the local operator (who holds
    /// `directory.import`), each on its own connection, `rounds` pairs one after the other.
    func healthUnderImport(_ report: inout Report, rounds: Int = 3) async throws {
        let rosters = [studentRoster(rows: 10_000, offset: 0), studentRoster(rows: 10_000, offset: 10_000)]
        let health = try await BenchAuth.workloadClient(socketPath: host.socketPath, token: host.token, group: host.group)
        defer { Task { await health.close() } }

        let quiet = try await openLoopHealth(health, while: { try await Task.sleep(for: .seconds(max(1, d))) })
        report.add(ResultRow(workload: "Health under imports", target: "host, no import (baseline)", concurrency: "1 call / 2 ms", stats: quiet,
                             note: "open loop"))

        let importers = try await [BenchAuth.operatorClient(socketPath: host.socketPath), BenchAuth.operatorClient(socketPath: host.socketPath)]
        defer { for client in importers { Task { await client.close() } } }
        var importSeconds: [Double] = []
        var rowErrors = 0
        let (busy, peaks) = try await sampled(hostProcesses) {
            try await openLoopHealth(health, while: {
                for _ in 0..<rounds {
                    let t0 = Date()
                    rowErrors += try await withThrowingTaskGroup(of: Int.self) { group in
                        for (client, csv) in zip(importers, rosters) { group.addTask { try await dryRun(client, csv) } }
                        return try await group.reduce(0, +)
                    }
                    importSeconds.append(Date().timeIntervalSince(t0))
                }
            })
        }
        let verdict = busy.p99 < 50_000 ? "meets" : "MISSES"
        report.add(ResultRow(workload: "Health under imports", target: "host, 2 × 10,000-row dry-runs", concurrency: "1 call / 2 ms", stats: busy, rssMiB: peaks,
                             note: String(format: "%@ p99 < 50 ms; %d rounds, each pair %.2f s (mean); %d row errors", verdict, rounds,
                                          importSeconds.reduce(0, +) / Double(max(1, importSeconds.count)), rowErrors)))
    }

    /// Calls Health every 2 ms until `body` returns; the latencies of every call started.
    private func openLoopHealth(_ client: XinyuClient, while body: () async throws -> Void) async throws -> LatencyStats {
        let done = DoneFlag()
        let start = Date()
        async let latencies: [UInt64] = withThrowingTaskGroup(of: UInt64.self) { group in
            while !done.isSet {
                group.addTask {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    _ = try await client.call("xinyu.host.v1.Host/Health", Xinyu_Host_V1_HealthRequest(), as: Xinyu_Host_V1_HealthResponse.self)
                    return DispatchTime.now().uptimeNanoseconds - t0
                }
                try await Task.sleep(for: .milliseconds(2))
            }
            var all: [UInt64] = []
            for try await ns in group { all.append(ns) }
            return all
        }
        do {
            try await body()
        } catch {
            done.set()
            _ = try? await latencies
            throw error
        }
        done.set()
        var histogram = LatencyStats.histogram()
        for ns in try await latencies { _ = histogram.record(ns) }
        return LatencyStats(histogram: histogram, errors: 0, seconds: Date().timeIntervalSince(start))
    }

    /// One dry-run import; returns its row errors (the file is checked in full either way).
    private func dryRun(_ client: XinyuClient, _ csv: String) async throws -> Int {
        var request = Xinyu_Directory_V1_ImportRosterRequest()
        request.kind = .students
        request.csv = Data(csv.utf8)
        request.dryRun = true
        var report: Xinyu_Directory_V1_ImportReport?
        for try await event in try client.stream("xinyu.directory.v1.Directory/ImportRoster", request, as: Xinyu_Directory_V1_ImportRosterEvent.self) {
            if case .report(let r)? = event.event { report = r }
        }
        guard let report else { throw BenchError("Health under imports: an import ended without a report") }
        return report.errors.count
    }

    /// `rows` new students (ids past the seeded ones) in the seeded city's classes.
    private func studentRoster(rows: Int, offset: Int) -> String {
        let shape = settings.shape
        var csv = "student_id,name,gender,birth_date,school_id,class_id\n"
        csv.reserveCapacity(rows * 56)
        for n in 0..<rows {
            let c = (n * 7) % shape.classes
            csv += "\(CityShape.studentID(shape.students + offset + n)),学生\(n),\(n % 2 == 0 ? "男" : "女"),2010-0\(1 + n % 9)-1\(n % 9),"
            csv += "\(CityShape.schoolID(shape.school(ofClass: c))),\(CityShape.classID(c))\n"
        }
        return csv
    }
}

/// Set once by one task, read by another.
final class DoneFlag: @unchecked Sendable {
    // Safe: the one stored flag is only touched under `lock`.
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
