import Foundation
import Testing
import XinyuHost

/// Config/systemd: the unit and the configuration it starts the host with must agree. Under
/// `ProtectSystem=strict` the host can write only its StateDirectory, RuntimeDirectory and the
/// backup folder, so every file it writes must be configured inside one of them.
@Suite("The systemd unit and its configuration")
struct ServiceUnitTests {
    static let folder = #filePath.components(separatedBy: "/Tests/")[0] + "/Config/systemd"

    /// The unit's `Key=value` lines (the last one wins, as in systemd).
    static func unit() throws -> [String: String] {
        let text = try String(contentsOfFile: folder + "/xinyu.service", encoding: .utf8)
        var settings: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && line.contains("=") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            settings[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return settings
    }

    @Test("the unit runs as its own user, read-only system, state and runtime directories, restarts on failure")
    func unitSettings() throws {
        let unit = try Self.unit()
        #expect(unit["User"] == "xinyu" && unit["Group"] == "xinyu")
        #expect(unit["ProtectSystem"] == "strict")
        #expect(unit["StateDirectory"] == "xinyu" && unit["RuntimeDirectory"] == "xinyu")
        #expect(unit["Restart"] == "on-failure")
        #expect(unit["NoNewPrivileges"] == "yes")
        #expect(unit["ExecStart"] == "/opt/xinyu/bin/xinyu-host --config /etc/xinyu/xinyu.toml")
        // Stopping must outlast the host's own drain (10 s) and plugin stop (5 s).
        #expect(unit["TimeoutStopSec"].flatMap { Int($0.dropLast()) }.map { $0 >= 20 } == true)
    }

    @Test("every file the configured host writes is inside a directory the unit lets it write")
    func configurationFitsTheSandbox() throws {
        let configuration = try HostConfiguration.load(path: Self.folder + "/xinyu.toml")
        let writable = ["/var/lib/xinyu/", "/run/xinyu/"]
        let written = [configuration.databasePath, configuration.effectiveAuditDatabasePath, configuration.socketPath,
                       configuration.runtimeDirectory + "/", configuration.operatorTokenFile, configuration.auditKeyFile]
        for path in written {
            #expect(writable.contains { path.hasPrefix($0) }, "\(path) is not writable under ProtectSystem=strict")
        }
        #expect(configuration.enabledPlugins == ["crisis", "training", "homeschool", "facilities", "partnership"])
        #expect(configuration.rolesFile.hasPrefix("/etc/xinyu/") && configuration.pluginSettingsDirectory.hasPrefix("/etc/xinyu/"))
    }
}
