import Foundation
import Logging
import Testing
import XinyuPluginSDK
@testable import XinyuHost

@Suite("Plugin supervisor")
struct PluginSupervisorTests {
    /// A plugin process that runs until told to crash, stop or die.
    final class FakeProcess: PluginProcessControl, @unchecked Sendable {
        // @unchecked: `running` is guarded by `lock`; the rest is set once in init.
        let name: String
        let pid: Int32
        private let onExit: @Sendable (Int32, String) -> Void
        private let lock = NSLock()
        private var running = true

        init(name: String, pid: Int32, onExit: @escaping @Sendable (Int32, String) -> Void) {
            self.name = name
            self.pid = pid
            self.onExit = onExit
        }

        var isRunning: Bool { lock.withLock { running } }
        func exit(_ how: String) {
            guard lock.withLock({ () -> Bool in defer { running = false }; return running }) else { return }
            onExit(pid, how)
        }
        func terminate() { exit("killed by signal 15") }
        func kill() { exit("killed by signal 9") }
    }

    /// Hands out fake processes with increasing pids and remembers them.
    final class FakeLauncher: @unchecked Sendable {
        // @unchecked: `started` is guarded by `lock`.
        private let lock = NSLock()
        private var started: [FakeProcess] = []

        func launch(_ name: String, _ onExit: @escaping @Sendable (Int32, String) -> Void) -> FakeProcess {
            lock.withLock {
                let process = FakeProcess(name: name, pid: Int32(90_000 + started.count), onExit: onExit)
                started.append(process)
                return process
            }
        }

        var processes: [FakeProcess] { lock.withLock { started } }
    }

    @Test("enabling a plugin during its restart backoff starts one process, and the backoff is dropped")
    func enableDuringBackoffStartsOneProcess() async throws {
        let directory = URL(fileURLWithPath: "/tmp/xs-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // `enable` checks that the executable is installed; the fake launcher never runs it.
        let executable = directory.appendingPathComponent("xinyu-plugin-crashy").path
        FileManager.default.createFile(atPath: executable, contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        var configuration = HostConfiguration()
        configuration.enabledPlugins = ["crashy"]
        configuration.restartInitialBackoffMs = 300
        configuration.pluginStartTimeoutMs = 60_000
        configuration.pluginSettingsDirectory = directory.path
        let table = RoutingTable(hostRegistry: ServiceRegistry(), enabled: ["crashy"], installed: ["crashy"])
        let (events, record) = AsyncStream.makeStream(of: PluginSupervisor.Event.self)
        let fakes = FakeLauncher()
        let supervisor = PluginSupervisor(
            configuration: configuration, table: table, secrets: PluginSecrets(), logger: Logger(label: "test.supervisor"),
            pluginDirectory: directory, pluginSocketPath: directory.appendingPathComponent("p.sock").path,
            databasePath: directory.appendingPathComponent("db").path, observe: { record.yield($0) },
            launcher: { name, _, _, _, onExit in fakes.launch(name, onExit) })
        let running = Task { await supervisor.run() }
        func next() async -> PluginSupervisor.Event? { await first(of: events, within: .seconds(10)) }

        guard case .launched("crashy", _)? = await next() else { Issue.record("the first start was not reported"); return }
        fakes.processes.first?.exit("exited with status 3")
        guard case .restartScheduled("crashy", _)? = await next() else { Issue.record("the crash did not schedule a restart"); return }
        try await supervisor.enable("crashy")
        guard case .launched("crashy", let pid)? = await next() else { Issue.record("enable did not start the plugin"); return }
        // The backoff still runs out; it must find the plugin running and start nothing.
        let after = await next()
        #expect(after == .restartDropped(name: "crashy"), "the backoff started a second process: \(String(describing: after))")
        #expect(table.record("crashy")?.pid == pid)

        supervisor.requestStop(grace: .seconds(2))
        await running.value
        #expect(fakes.processes.count == 2, "one start, one restart by enable: \(fakes.processes.map(\.pid))")
        #expect(fakes.processes.allSatisfy { !$0.isRunning }, "every plugin is stopped when the supervisor returns")
    }
}
