import Foundation
import Testing

@Suite("Host start-up errors")
struct HostStartupTests {
    func runHost(config: String) throws -> (status: Int32, stderr: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xinyu-cfg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("xinyu.toml").path
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = RunningHost.binDirectory.appendingPathComponent("xinyu-host")
        process.arguments = ["--config", path]
        process.currentDirectoryURL = dir
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("an unknown plugin name is a clear start-up error, not a crash")
    func unknownPlugin() throws {
        let result = try runHost(config: "[plugins]\nenabled = [\"crisiss\"]\n")
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
    func badConfig(config: String, expected: String) throws {
        let result = try runHost(config: config)
        #expect(result.status == 78)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test("an audit database that cannot be opened stops the start and names the key")
    func unopenableAuditDatabase() throws {
        let roles = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Config/roles.toml").standardized.path
        let result = try runHost(config: """
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

