import Foundation
import NIOConcurrencyHelpers
import Testing
import XinyuChildProcess

@Suite("Host start-up errors")
struct HostStartupTests {
    func runHost(config: String) async throws -> (status: Int32, stderr: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xinyu-cfg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("xinyu.toml").path
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        let stderr = NIOLockedValueBox("")
        let host = try ChildProcess.spawn(
            executable: RunningHost.binDirectory.appendingPathComponent("xinyu-host").path, arguments: ["--config", path],
            workingDirectory: dir.path, standardError: .lines { line in stderr.withLockedValue { $0 += line + "\n" } })
        // The exit is reported after the last line of its output.
        let status = await host.waitForExit()
        return (status.shellCode, stderr.withLockedValue { $0 })
    }

    @Test("an unknown plugin name is a clear start-up error, not a crash")
    func unknownPlugin() async throws {
        let result = try await runHost(config: "[plugins]\nenabled = [\"crisiss\"]\n")
        #expect(result.status == 78)
        #expect(result.stderr.contains("plugins.enabled: 'crisiss'"))
        #expect(result.stderr.contains("Check the spelling"))
    }

    @Test("bad keys and values name the key", arguments: [
        ("[host]\nmax_frame_bytes = 12\n", "host.max_frame_bytes: 12 is outside"),
        ("[host]\nsockett = \"x\"\n", "host.sockett: unknown key"),
        ("[plugins]\nenabled = \"probe\"\n", "plugins.enabled: must be an array"),
        ("[plugins]\nenabled = [\"Probe!\"]\n", "'Probe!' is not a plugin name"),
        ("[host\n", "xinyu.toml: line 1: not valid TOML"),
        ("[city]\ntime_zone = \"Mars/Olympus\"\n", "city.time_zone: 'Mars/Olympus' is not a time zone"),
    ])
    func badConfig(config: String, expected: String) async throws {
        let result = try await runHost(config: config)
        #expect(result.status == 78)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test("an audit database that cannot be opened stops the start and names the key")
    func unopenableAuditDatabase() async throws {
        let roles = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Config/roles.toml").standardized.path
        let result = try await runHost(config: """
            [plugins]
            enabled = []
            [security]
            roles_file = "\(roles)"
            audit_database = "/proc/no-such-folder/audit.sqlite"
            """)
        #expect(result.status == 70)
        #expect(result.stderr.contains("security.audit_database: cannot open the audit trail at /proc/no-such-folder/audit.sqlite"), "\(result.stderr)")
    }
}

