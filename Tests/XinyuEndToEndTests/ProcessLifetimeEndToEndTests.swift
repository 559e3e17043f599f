import Foundation
import NIOConcurrencyHelpers
import Testing
import XinyuChildProcess
import XinyuClient
import XinyuCoreAPI
import XinyuRPC

/// Nothing outlives the process that started it (issue 11 §5): a test run that dies, however
/// it dies, leaves no `xinyu-host` and no plugin behind.
@Suite("Process lifetime end to end")
struct ProcessLifetimeEndToEndTests {
    @Test("a host whose parent is killed with SIGKILL stops, and its plugins with it")
    func hostDiesWithItsParent() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xinyu-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let socket = dir.appendingPathComponent("x.sock").path
        let configPath = dir.appendingPathComponent("xinyu.toml").path
        _ = try RunningHost.rolesFile(in: dir)
        try RunningHost.configuration(socket: socket, dir: dir, plugins: ["probe", "tally"]).write(toFile: configPath, atomically: true, encoding: .utf8)

        // This test process → the fixture (holds the host's standard input, like RunningHost
        // does) → xinyu-host --stop-at-stdin-eof → plugins.
        let lines = NIOLockedValueBox<[String]>([])
        let changes = ChangeSignal()
        let parent = try ChildProcess.spawn(
            executable: RunningHost.binDirectory.appendingPathComponent("ChildProcessFixture").path,
            arguments: ["hold", RunningHost.binDirectory.appendingPathComponent("xinyu-host").path, "--config", configPath, "--stop-at-stdin-eof"],
            standardInput: .pipe, standardOutput: .lines { line in lines.withLockedValue { $0.append(line) }; changes.ring() }, standardError: .inherit)
        defer { parent.kill() }
        try await changes.wait(for: "the host's ready line", timeout: .seconds(30)) {
            lines.withLockedValue { $0.contains { $0.contains("ready:") } }
        }
        let hostPID = try #require(lines.withLockedValue { $0.lazy.compactMap { $0.firstMatch(of: /^child-pid (\d+)$/).flatMap { Int32($0.1) } }.first })
        let pluginPIDs = NIOLockedValueBox<[Int32]>([])
        try await waitUntil("plugins ready", timeout: .seconds(30)) {
            guard let status = try? await XinyuClient.connect(to: .unix(path: socket), name: "e2e-operator").closing({ client in
                try await client.call("xinyu.host.v1.Host/Status", Xinyu_Host_V1_StatusRequest(), as: Xinyu_Host_V1_StatusResponse.self)
            }) else { return false }
            let ready = status.plugins.filter { $0.state == "ready" && $0.pid > 0 }
            pluginPIDs.withLockedValue { $0 = ready.map(\.pid) }
            return ready.count == 2
        }
        let watched = ([hostPID] + pluginPIDs.withLockedValue { $0 }).map { LiveProcess(pid: $0) }
        #expect(watched.allSatisfy { $0.isAlive })
        defer { for process in watched where process.isAlive { kill(process.pid, SIGKILL) } }

        kill(parent.pid, SIGKILL)
        #expect(await parent.waitForExit() == .signaled(SIGKILL))
        try await waitUntil("host \(hostPID) and plugins \(pluginPIDs.withLockedValue { $0 }) gone", timeout: .seconds(20)) {
            watched.allSatisfy { !$0.isAlive }
        }
    }
}

/// A process seen once, so a later check is about that process and not a recycled pid.
struct LiveProcess: Sendable {
    let pid: Int32
    private let startTime: String?

    init(pid: Int32) {
        self.pid = pid
        startTime = Self.stat(pid)?.startTime
    }

    /// Running (a zombie waiting to be reaped by init counts as gone) and still the same process.
    var isAlive: Bool {
        guard let stat = Self.stat(pid), let startTime else { return false }
        return stat.state != "Z" && stat.state != "X" && stat.startTime == startTime
    }

    /// Fields of /proc/PID/stat after the command name: state (3rd) and start time (22nd).
    private static func stat(_ pid: Int32) -> (state: String, startTime: String)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19 else { return nil }
        return (String(fields[0]), String(fields[19]))
    }
}
