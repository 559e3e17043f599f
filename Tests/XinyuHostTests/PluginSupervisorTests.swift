import Foundation
import Logging
import Testing
import XinyuPluginSDK
@testable import XinyuHost

@Suite("Plugin supervisor")
struct PluginSupervisorTests {
    /// A plugin that crashes on its first start and afterwards runs until its standard input
    /// closes (the host holds it open), as real plugins do.
    static func crashOnceScript(in directory: URL) throws {
        let path = directory.appendingPathComponent("xinyu-plugin-crashy").path
        try """
            #!/bin/sh
            if [ ! -e "$0.crashed" ]; then touch "$0.crashed"; exit 3; fi
            exec cat > /dev/null
            """.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
    }

    @Test("enabling a plugin during its restart backoff starts one process, and the backoff is dropped")
    func enableDuringBackoffStartsOneProcess() async throws {
        let directory = URL(fileURLWithPath: "/tmp/xs-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.crashOnceScript(in: directory)
        var configuration = HostConfiguration()
        configuration.enabledPlugins = ["crashy"]
        configuration.restartInitialBackoffMs = 300
        configuration.pluginStartTimeoutMs = 60_000
        configuration.pluginSettingsDirectory = directory.path
        let table = RoutingTable(hostRegistry: ServiceRegistry(), enabled: ["crashy"], installed: ["crashy"])
        let (events, record) = AsyncStream.makeStream(of: PluginSupervisor.Event.self)
        let supervisor = PluginSupervisor(
            configuration: configuration, table: table, secrets: PluginSecrets(), logger: Logger(label: "test.supervisor"),
            pluginDirectory: directory, pluginSocketPath: directory.appendingPathComponent("p.sock").path,
            databasePath: directory.appendingPathComponent("db").path, observe: { record.yield($0) })
        let running = Task { await supervisor.run() }
        func next() async -> PluginSupervisor.Event? { await first(of: events, within: .seconds(10)) }

        guard case .launched("crashy", _)? = await next() else { Issue.record("the first start was not reported"); return }
        guard case .restartScheduled("crashy", _)? = await next() else { Issue.record("the crash did not schedule a restart"); return }
        try await supervisor.enable("crashy")
        guard case .launched("crashy", let pid)? = await next() else { Issue.record("enable did not start the plugin"); return }
        // The backoff still runs out; it must find the plugin running and start nothing.
        let after = await next()
        #expect(after == .restartDropped(name: "crashy"), "the backoff started a second process: \(String(describing: after))")
        #expect(table.record("crashy")?.pid == pid)

        supervisor.requestStop(grace: .seconds(2))
        await running.value
        #expect(kill(pid, 0) != 0, "the plugin must be stopped when the supervisor returns")
    }
}
