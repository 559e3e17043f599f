import ArgumentParser
import Foundation
import XinyuClient

/// The soak run (issue 17): minutes of mixed load on every enabled plugin through a real host,
/// sampling throughput and RSS of the host and each plugin; fails when RSS keeps growing.
@main
struct SoakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xinyu-soak", abstract: "Mixed load on every plugin through a real host; RSS and throughput over time.")

    @Option(help: "Folder with the main package's executables (xinyu-host, xinyu-plugin-*).") var hostBin: String
    @Option(help: "The plugins' settings folder (Config/plugins).") var settingsDir: String
    @Option(help: "The host's roles file (Config/roles.toml).") var rolesFile: String
    @Option(help: "Plugins to enable and load, comma-separated.") var plugins = "crisis,training,homeschool,facilities,partnership"
    @Option(help: "Minutes of load.") var minutes = 10.0
    @Option(help: "Minutes at the start left out of the RSS trend (caches and pools filling).") var warmupMinutes = 2.0
    @Option(help: "Seconds between samples.") var sampleSeconds = 10.0
    @Option(help: "Concurrent workers, each running rounds of every plugin's calls.") var workers = 4
    @Option(help: "Schools in the city (10 classes each).") var schools = 4
    @Option(help: "Students per class.") var studentsPerClass = 60
    @Option(help: "Largest RSS growth after warm-up, in percent of the line's start, before the run fails.") var maxGrowthPercent = 10.0
    @Option(help: "Where to write soak.csv and soak.md.") var out = "soak-results"
    @Flag(help: "Keep the host's folder (database, log) after the run.") var keep = false

    func run() async throws {
        let pluginList = plugins.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.isEmpty }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xinyu-soak-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let host = try SoakHost(binDirectory: URL(fileURLWithPath: hostBin), directory: folder, plugins: pluginList,
                                settingsDir: settingsDir, rolesFile: rolesFile)
        log("starting the host with \(pluginList.joined(separator: ", ")) in \(folder.path)")
        try await host.start()
        do {
            let report = try await soak(host, plugins: pluginList)
            await host.stop()
            try write(report)
            if !keep { try? FileManager.default.removeItem(at: folder) }
            guard report.failures.isEmpty else { throw SoakError("soak failed:\n" + report.failures.joined(separator: "\n")) }
        } catch {
            await host.stop()
            log("host folder kept for a look: \(folder.path) (host.log)")
            throw error
        }
    }

    private func soak(_ host: SoakHost, plugins: [String]) async throws -> SoakReport {
        let city = SoakCity(schools: schools, studentsPerClass: studentsPerClass)
        let admin = try await host.operatorClient()
        let tokens = try await city.principals(admin)
        await admin.close()
        let centre = try await host.client(token: tokens.centre)
        log("seeding \(city.schools) schools, \(city.students) students through ImportRoster")
        try await city.importRosters(centre)
        var teachers: [XinyuClient] = []
        for token in tokens.teachers { teachers.append(try await host.client(token: token)) }
        let agency = try await host.client(token: tokens.agency)
        let counters = SoakCounters()
        let workload = SoakWorkload(city: city, counters: counters, centre: centre, teachers: teachers, agency: agency)
        try await workload.prepare()

        let started = Date()
        let end = started.addingTimeInterval(minutes * 60)
        log("load: \(workers) workers for \(minutes) min, a sample every \(sampleSeconds) s")
        var sampler = SoakSampler(host: host, counters: counters, plugins: plugins, started: started)
        var samples: [SoakSample] = []
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    while Date() < end { await workload.round() }
                }
            }
            while Date() < end {
                try await Task.sleep(for: .seconds(min(sampleSeconds, max(0.05, end.timeIntervalSinceNow))))
                let sample = try await sampler.sample()
                samples.append(sample)
                log(String(format: "t=%4.0fs  calls/s %6.1f  failed/s %4.1f  RSS MiB: ", sample.seconds, sample.callsPerSecond.values.reduce(0, +), sample.failedPerSecond)
                    + (["host"] + plugins).map { "\($0) \(String(format: "%.1f", Double(sample.rssKiB[$0] ?? 0) / 1024))" }.joined(separator: ", "))
            }
            try await group.waitForAll()
        }
        for client in teachers + [centre, agency] { await client.close() }
        let settings = "Mixed load for \(minutes) min with \(workers) workers on \(plugins.joined(separator: ", ")); \(city.schools) schools, \(city.students) students; "
            + "a sample every \(sampleSeconds) s; RSS trend after \(warmupMinutes) min of warm-up, allowed growth \(maxGrowthPercent) %. Started \(ISO8601DateFormatter().string(from: started))."
        return SoakReport(samples: samples, plugins: plugins, totals: counters.snapshot, warmupSeconds: warmupMinutes * 60,
                          maxGrowthPercent: maxGrowthPercent, settings: settings)
    }

    private func write(_ report: SoakReport) throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try report.csv.write(toFile: "\(out)/soak.csv", atomically: true, encoding: .utf8)
        try report.markdown.write(toFile: "\(out)/soak.md", atomically: true, encoding: .utf8)
        print(report.markdown)
        log("wrote \(out)/soak.csv and \(out)/soak.md")
    }

    private func log(_ line: String) {
        FileHandle.standardError.write(Data("[soak] \(line)\n".utf8))
    }
}
