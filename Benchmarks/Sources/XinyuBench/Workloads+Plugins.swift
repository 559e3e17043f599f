import BenchHarness
import Foundation
import NIOCore
import NIOPosix
import XinyuClient
import XinyuCoreAPI
import XinyuHomeschoolAPI
import XinyuTrainingAPI

/// W6 and W7: the training plugin's city-wide statistics and the homeschool plugin's home-visit
/// coverage, each for the whole city (the issue's 200,000 students), against a real host with
/// the real training and homeschool plugins, on a database of their own seeded through public
/// methods only (``PluginCity``). Each is called one at a time (1×1), as a dashboard does; the
/// target for both is p99 ≤ 200 ms in a release build.
struct PluginWorkloads: Sendable {
    let settings: RunSettings

    static let plugins = ["training", "homeschool"]
    static let statistics = "xinyu.training.v1.Training/GetStatistics"
    static let coverage = "xinyu.homeschool.v1.Homeschool/GetCoverage"
    static let seederID = "bench:plugin-seeder"

    /// Whether W6 or W7 was asked for.
    static func wanted(_ settings: RunSettings) -> Bool { settings.workloads.contains("w6") || settings.workloads.contains("w7") }

    func run(_ report: inout Report) async throws {
        let missing = Self.plugins.filter { !FileManager.default.fileExists(atPath: settings.hostBin.appendingPathComponent("xinyu-plugin-\($0)").path) }
        guard missing.isEmpty else {
            report.add(ResultRow(workload: "W6/W7 plugins", target: "–", concurrency: "–", note: "skipped: \(missing.joined(separator: ", ")) not built"))
            return
        }
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("xinyu-bench-plugins-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { if !settings.keep { try? FileManager.default.removeItem(at: dir) } }
        let host = try HostLauncher(binDirectory: settings.hostBin, directory: dir, plugins: Self.plugins, settingsDir: settings.settingsDir, rolesFile: settings.rolesFile)
        try await host.start(plugins: Self.plugins)
        do {
            try await measure(host, &report)
        } catch {
            await host.stop()
            throw error
        }
        await host.stop()
    }

    func measure(_ host: HostLauncher, _ report: inout Report) async throws {
        var processes: [String: Int32] = ["host": host.pid]
        for (name, pid) in host.pluginPIDs { processes["plugin \(name)"] = pid }
        let city = PluginCity(shape: settings.shape)
        let seederToken = try await Self.issueSeederToken(socketPath: host.socketPath)
        let operatorClient = try await BenchAuth.operatorClient(socketPath: host.socketPath)
        let summary: PluginCity.Summary
        do {
            summary = try await city.seed(operatorClient: operatorClient, seeder: {
                try await XinyuClient.connect(to: .unix(path: host.socketPath), name: "xinyu-bench-seeder", token: seederToken)
            }, today: PluginCity.today())
        } catch {
            await operatorClient.close()
            throw error
        }
        await operatorClient.close()
        let seedSeconds = summary.seconds.values.reduce(0, +)
        report.add(ResultRow(workload: "W6/W7 seeding", target: "xinyu host → directory, training, homeschool", concurrency: "8×4",
                             rate: Double(summary.students) / max(seedSeconds, 0.001), rateUnit: "students/s", note: "through the API: \(summary.line)"))

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let target = HostTarget(socketPath: host.socketPath, token: host.workloadToken, group: group)
        let one = Concurrency(connections: 1, inFlight: 1)
        // A first call of each checks the figures cover the seeded city, so a run that
        // measured an empty answer cannot pass for a fast one.
        try await checkFigures(host, summary)
        if settings.workloads.contains("w6") {
            let (stats, rss) = try await sampled(processes) {
                try await target.run(Self.statistics, one, settings.duration, min(settings.warmup, 0.5)) { _, _ in Xinyu_Training_V1_GetStatisticsRequest() }
            }
            report.add(ResultRow(workload: "W6 training statistics", target: "xinyu host → training", concurrency: one.description, stats: stats, rssMiB: rss,
                                 note: "city-wide: \(summary.schools) schools, \(summary.staff) staff, \(summary.students) students"))
        }
        if settings.workloads.contains("w7") {
            let (stats, rss) = try await sampled(processes) {
                try await target.run(Self.coverage, one, settings.duration, min(settings.warmup, 0.5)) { _, _ in Xinyu_Homeschool_V1_GetCoverageRequest() }
            }
            report.add(ResultRow(workload: "W7 home-visit coverage", target: "xinyu host → homeschool", concurrency: one.description, stats: stats, rssMiB: rss,
                                 note: "city-wide: \(summary.classes) classes, \(summary.students) students, \(summary.visits) visited"))
        }
        try? await group.shutdownGracefully()
    }

    /// The first answers must count the whole seeded city.
    func checkFigures(_ host: HostLauncher, _ summary: PluginCity.Summary) async throws {
        let client = try await BenchAuth.workloadClient(socketPath: host.socketPath, token: host.workloadToken)
        try await client.closing { client in
            let statistics = try await client.call(Self.statistics, Xinyu_Training_V1_GetStatisticsRequest(), as: Xinyu_Training_V1_Statistics.self)
            guard statistics.city.students == Int64(summary.students), statistics.city.teachers == Int64(summary.staff),
                  statistics.city.studentsWithMentor == Int64(summary.gridStudents), statistics.schools.count == summary.schools else {
                throw BenchError("W6: the statistics do not cover the seeded city: \(statistics.city)")
            }
            let coverage = try await client.call(Self.coverage, Xinyu_Homeschool_V1_GetCoverageRequest(), as: Xinyu_Homeschool_V1_GetCoverageResponse.self)
            guard coverage.total.students == Int64(summary.students), coverage.total.visited == Int64(summary.visits), coverage.classes.count == summary.classes else {
                throw BenchError("W7: the coverage does not cover the seeded city: \(coverage.total)")
            }
        }
    }

    /// Runs `body` while sampling the RSS of `pids`; returns its result and the peaks in MiB.
    func sampled<T>(_ pids: [String: Int32], _ body: () async throws -> T) async rethrows -> (T, [String: Double]) {
        let sampler = MemorySampler(pids: Array(pids.values))
        let value = try await body()
        let peaks = sampler.stop()
        var named: [String: Double] = [:]
        for (name, pid) in pids { named[name] = peaks[pid].map { Double($0) / 1024 } }
        return (value, named)
    }

    /// A principal that seeds the plugins: a growth-centre member who is also a class teacher
    /// (RecordVisit needs `homeschool.visit.write`), city scope.
    static func issueSeederToken(socketPath: String) async throws -> String {
        let admin = try await BenchAuth.operatorClient(socketPath: socketPath)
        return try await admin.closing { admin in
            var principal = Xinyu_Admin_V1_CreatePrincipalRequest()
            principal.id = seederID
            principal.kind = .service
            principal.displayName = "xinyu-bench plugin seeder"
            principal.roles = ["growth_centre", "class_teacher"]
            var city = Xinyu_Admin_V1_Scope()
            city.kind = "city"
            principal.scopes = [city]
            _ = try await admin.call("xinyu.admin.v1.Admin/CreatePrincipal", principal, as: Xinyu_Admin_V1_PrincipalRecord.self)
            var issue = Xinyu_Admin_V1_IssueTokenRequest()
            issue.principalID = seederID
            issue.label = "benchmark seeding"
            issue.validDays = 1
            return try await admin.call("xinyu.admin.v1.Admin/IssueToken", issue, as: Xinyu_Admin_V1_IssuedToken.self).token
        }
    }
}

/// Where W6 and W7 stand against the issues' targets.
enum PluginTargets {
    static func evaluate(_ report: Report) -> [String] {
        var lines: [String] = []
        for (prefix, name) in [("W6 ", "W6 training statistics"), ("W7 ", "W7 home-visit coverage")] {
            guard let stats = report.rows.first(where: { $0.workload.hasPrefix(prefix) })?.stats else { continue }
            lines.append("\(name) p99: \(String(format: "%.1f", stats.p99 / 1000)) ms (target ≤ 200 ms): \(stats.p99 <= 200_000 ? "met" : "NOT met")")
        }
        return lines
    }
}
