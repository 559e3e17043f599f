import BenchAPI
import BenchHarness
import Foundation
import NIOCore
import NIOPosix
import XinyuStore

/// One run: start everything, seed, measure every workload on every target, stop everything.
struct BenchRun: Sendable {
    let settings: RunSettings

    func run() async throws -> Report {
        var report = Report()
        report.machine = Report.describeMachine()
        report.command = settings.commandLine
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("xinyu-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { if !settings.keep { try? FileManager.default.removeItem(at: dir) } }
        print(Report.header)

        // W5: a real host and every plugin, from nothing to ready, on a fresh database.
        let plugins = FileManager.default.fileExists(atPath: settings.hostBin.appendingPathComponent("xinyu-plugin-crisis").path) ? ["crisis"] : []
        let host = try HostLauncher(binDirectory: settings.hostBin, directory: dir, plugins: plugins, settingsDir: settings.settingsDir, rolesFile: settings.rolesFile)
        try await host.start(plugins: plugins)
        defer { let h = host; Task { await h.stop() } }
        try await Task.sleep(for: .milliseconds(500))
        var processes: [String: Int32] = ["host": host.pid]
        for (name, pid) in host.pluginPIDs { processes["plugin \(name)"] = pid }
        var idle: [String: Double] = [:]
        for (name, pid) in processes { idle[name] = ProcessMemory.read(pid: pid).map { Double($0.rssKiB) / 1024 } }
        report.add(ResultRow(workload: "W5 start-up", target: "host + \(plugins.isEmpty ? "no plugins" : plugins.joined(separator: ", "))", concurrency: "–",
                             rate: 1 / host.startSeconds, rateUnit: "starts/s", rssMiB: idle,
                             note: String(format: "ready in %.0f ms; RSS idle", host.startSeconds * 1000)))

        // City-scale data straight into the shared file.
        let seed = try CitySeeder(shape: settings.shape).seed(path: host.databasePath)
        report.seed = seed
        print("seeded \(seed.students) students, \(seed.levelled) levelled, \(seed.openCases) open cases in \(String(format: "%.1f", seed.seconds)) s")
        let keys = Keys(shape: settings.shape, openCases: seed.openCaseIDs)

        // Baseline servers, each its own process like the host.
        let floorSocket = dir.appendingPathComponent("floor.sock").path
        let floor = ServerProcess(executable: settings.benchBin.appendingPathComponent("bench-floor"), arguments: ["--unix", floorSocket])
        try await floor.start()
        defer { Task { await floor.stop() } }
        let peerSocket = dir.appendingPathComponent("peer.sock").path
        let peer = ServerProcess(executable: settings.benchBin.appendingPathComponent("bench-grpc-peer"), arguments: ["--unix", peerSocket, "--database", host.databasePath])
        try await peer.start()
        defer { Task { await peer.stop() } }

        // Client threads: the Xinyu and floor clients share two event loops, as many as the
        // gRPC client's default group has on this machine (one per core).
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let store = try SharedDatabase.open(path: host.databasePath)
        let workloads = Workloads(
            settings: settings, keys: keys, hostProcesses: processes, hasCrisis: !plugins.isEmpty,
            host: HostTarget(socketPath: host.socketPath, token: host.workloadToken, group: group), floor: FloorTarget(socketPath: floorSocket, group: group),
            peer: PeerTarget(socketPath: peerSocket), peerPID: peer.pid, floorPID: floor.pid, direct: DirectTarget(database: store))
        if settings.workloads.contains("w1") { try await workloads.w1(&report) }
        if settings.workloads.contains("w2") { try await workloads.w2(&report) }
        if settings.workloads.contains("w3") { try await workloads.w3(&report) }
        if settings.workloads.contains("w4") { try await workloads.w4(&report) }
        if settings.workloads.contains("health") { try await workloads.healthUnderImport(&report) }
        if settings.workloads.contains("work") { try await workloads.workbench(&report) }

        await host.stop()
        await floor.stop()
        await peer.stop()
        try? await group.shutdownGracefully()
        if PluginWorkloads.wanted(settings) { try await PluginWorkloads(settings: settings).run(&report) }
        report.targets = Targets.evaluate(report) + PluginTargets.evaluate(report)
        return report
    }
}
