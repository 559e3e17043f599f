import Foundation
import Testing
import XinyuClient
import XinyuCoreAPI
import NIOConcurrencyHelpers
import XinyuRPC

/// Heavy calls must not stall small ones (issue 17): Health was once seen waiting 650–900 ms
/// while two 10,000-row roster dry-runs ran at once. The benchmark measures the release figure
/// (`--only health`, target p99 < 50 ms); this test holds the debug build, on a machine that
/// also runs the rest of the suite, to a looser bound that a stalled Health cannot meet (p50
/// 0.6 s, p99 1.46 s when the importer parsed on the concurrency pool; 0.09 s p99 since).
@Suite("Heavy calls do not stall small ones")
struct HeavyCallsEndToEndTests {
    /// A roster of `rows` students over `classes` classes of one school.
    static func studentRoster(rows: Int, classes: Int, offset: Int) -> String {
        var csv = "student_id,name,gender,birth_date,school_id,class_id\n"
        csv.reserveCapacity(rows * 48)
        for n in 0..<rows {
            csv += "S\(offset + n),学生\(n),\(n % 2 == 0 ? "男" : "女"),2010-0\(1 + n % 9)-1\(n % 9),HX-1,HX-C\(n % classes)\n"
        }
        return csv
    }

    @Test("Health p99 stays low while two 10,000-row student dry-runs run at once")
    func healthUnderImports() async throws {
        let host = try await RunningHost(plugins: [])
        let client = try await host.client()
        let classes = 50
        try await Self.load(client, .schools, "school_id,name,district,kind\nHX-1,海曙实验学校,海曙区,junior\n", dryRun: false)
        try await Self.load(client, .classes, "class_id,school_id,grade,name\n" + (0..<classes).map { "HX-C\($0),HX-1,7,\($0)班\n" }.joined(), dryRun: false)
        let rosters = [Self.studentRoster(rows: 10_000, classes: classes, offset: 0), Self.studentRoster(rows: 10_000, classes: classes, offset: 10_000)]

        let importers = try await [host.client(), host.client()]
        let done = ManagedAtomicFlag()
        async let imports: Void = withThrowingTaskGroup(of: Void.self) { group in
            for (client, csv) in zip(importers, rosters) {
                group.addTask { try await Self.load(client, .students, csv, dryRun: true) }
            }
            try await group.waitForAll()
            done.set()
        }
        // Open loop: a Health call every 5 ms whether or not the last one has answered, so that
        // a stall shows as every call it held up, not as one slow sample.
        var latencies = try await withThrowingTaskGroup(of: Duration.self) { group in
            while !done.isSet {
                group.addTask {
                    let t0 = ContinuousClock.now
                    _ = try await client.call("xinyu.host.v1.Host/Health", Xinyu_Host_V1_HealthRequest(), as: Xinyu_Host_V1_HealthResponse.self)
                    return ContinuousClock.now - t0
                }
                try await Task.sleep(for: .milliseconds(5))
            }
            var all: [Duration] = []
            for try await latency in group { all.append(latency) }
            return all
        }
        try await imports
        latencies.sort()
        let p99 = latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
        print("Health under two 10,000-row dry-runs: \(latencies.count) calls, p50 \(latencies[latencies.count / 2]), p99 \(p99), max \(latencies.last!)")
        #expect(latencies.count >= 20, "too few Health calls to judge: \(latencies.count)")
        #expect(p99 < .milliseconds(750), "Health p99 \(p99) while two imports ran (max \(latencies.last!))")
    }

    static func load(_ client: XinyuClient, _ kind: Xinyu_Directory_V1_RosterKind, _ csv: String, dryRun: Bool) async throws {
        var request = Xinyu_Directory_V1_ImportRosterRequest()
        request.kind = kind
        request.csv = Data(csv.utf8)
        request.dryRun = dryRun
        var report: Xinyu_Directory_V1_ImportReport?
        for try await event in try client.stream("xinyu.directory.v1.Directory/ImportRoster", request, as: Xinyu_Directory_V1_ImportRosterEvent.self) {
            if case .report(let r)? = event.event { report = r }
        }
        let final = try #require(report)
        #expect(final.errors.isEmpty, "\(kind): \(final.errors.prefix(3))")
    }
}

/// A flag one task sets and another polls.
final class ManagedAtomicFlag: Sendable {
    private let value = NIOLockedValueBox(false)
    func set() { value.withLockedValue { $0 = true } }
    var isSet: Bool { value.withLockedValue { $0 } }
}
