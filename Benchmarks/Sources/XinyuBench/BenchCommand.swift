import ArgumentParser
import BenchHarness
import Foundation
import NIOPosix
import XinyuStore

/// The benchmark driver (issue 5): one command, one run, every baseline side by side.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "xinyu-bench", abstract: "Xinyu benchmark: host vs floor, gRPC peer and direct calls.")

    @Option(help: "Folder with the main package's release executables (xinyu-host, xinyu-plugin-*).") var hostBin: String
    @Option(help: "Seconds each measured load runs.") var duration = 5.0
    @Option(help: "Seconds of warm-up before each measured load.") var warmup = 1.0
    @Option(help: "Students to seed.") var students = 200_000
    @Option(help: "Schools to seed.") var schools = 150
    @Option(help: "Screening results W3 imports (0 = as many as students).") var screeningResults = 0
    @Option(help: "Where to write results.md and results.json.") var out = "bench-results"
    @Option(help: "The plugins' settings folder (crisis.toml); empty = built-in defaults.") var settingsDir = ""
    @Option(help: "The host's roles file (the shipped Config/roles.toml).") var rolesFile: String
    @Option(help: "Concurrency settings for W1 and W2, C×M, comma-separated.") var concurrency = "1x1,4x16,4x64"
    @Option(help: "Workloads to run, comma-separated (w1,w2,w3,w4,w6,w7,work,health; W5 always runs).") var only = "w1,w2,w3,w4,w6,w7,work"
    @Option(help: "Targets to run besides the host, comma-separated (floor,peer,direct).") var baselines = "floor,peer,direct"
    @Flag(help: "A few seconds on small data; fail unless every workload ran.") var smoke = false
    @Flag(help: "Keep the temporary folder (database, sockets).") var keep = false

    func run() async throws {
        var settings = RunSettings(command: self)
        if smoke {
            settings.duration = min(duration, 0.5)
            settings.warmup = min(warmup, 0.2)
            settings.shape = CityShape(schools: 10, students: 2_000)
            settings.screeningResults = 2_000
        }
        let report = try await BenchRun(settings: settings).run()
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try report.markdown.write(toFile: "\(out)/results.md", atomically: true, encoding: .utf8)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(report).write(to: URL(fileURLWithPath: "\(out)/results.json"))
        print("\n" + report.markdown)
        print("wrote \(out)/results.md and \(out)/results.json")
        if smoke {
            let empty = report.rows.filter { ($0.rate ?? $0.stats?.throughput ?? 0) <= 0 }
            guard empty.isEmpty else {
                throw BenchError("smoke: no throughput from " + empty.map { "\($0.workload) \($0.target) \($0.concurrency)" }.joined(separator: ", "))
            }
            print("smoke: every workload produced throughput")
        }
    }
}

/// The settings of one run, after --smoke.
struct RunSettings: Sendable {
    var hostBin: URL
    var benchBin: URL
    var duration: Double
    var warmup: Double
    var shape: CityShape
    var screeningResults: Int
    var concurrency: [Concurrency]
    var keep: Bool
    var commandLine: String
    var settingsDir: String
    var rolesFile: String
    var workloads: Set<String>
    var baselines: Set<String>

    init(command c: BenchCommand) {
        hostBin = URL(fileURLWithPath: c.hostBin)
        // bench-floor and bench-grpc-peer are built beside this executable.
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        benchBin = URL(fileURLWithPath: exe).deletingLastPathComponent()
        duration = c.duration
        warmup = c.warmup
        shape = CityShape(schools: c.schools, students: c.students)
        screeningResults = c.screeningResults
        concurrency = c.concurrency.split(separator: ",").compactMap { part in
            let n = part.lowercased().split(separator: "x").compactMap { Int($0) }
            return n.count == 2 ? Concurrency(connections: n[0], inFlight: n[1]) : nil
        }
        keep = c.keep
        settingsDir = c.settingsDir
        rolesFile = c.rolesFile
        workloads = Set(c.only.lowercased().split(separator: ",").map(String.init))
        baselines = Set(c.baselines.lowercased().split(separator: ",").map(String.init))
        commandLine = CommandLine.arguments.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
    }
}
