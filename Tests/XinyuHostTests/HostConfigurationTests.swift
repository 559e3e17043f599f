import Testing
import XinyuHost
import XinyuPluginSDK

@Suite("Host configuration: read with SettingsTable, errors naming the file and key")
struct HostConfigurationTests {
    @Test("[city] time_zone sets the city's calendar; Asia/Shanghai without it")
    func cityTimeZone() throws {
        #expect(try HostConfiguration.parse("", source: "x.toml").cityCalendar == .shanghai)
        let utc = try HostConfiguration.parse("[city]\ntime_zone = \"UTC\"\n", source: "x.toml")
        #expect(utc.cityCalendar.timeZoneIdentifier == "UTC")
    }

    @Test("bad values, unknown keys and bad TOML name the file, the key or line, and the problem", arguments: [
        ("[city]\ntime_zone = \"Asia/Ningbo\"\n", "x.toml: city.time_zone: 'Asia/Ningbo' is not a time zone"),
        ("[city]\nzone = \"UTC\"\n", "x.toml: city.zone: unknown key (known: time_zone)"),
        ("[host]\nmax_frame_bytes = 12\n", "x.toml: host.max_frame_bytes: 12 is outside 1024…67108864"),
        ("[plugins]\nrestart_multiplier = \"fast\"\n", "x.toml: plugins.restart_multiplier: must be a number"),
        ("[plugins]\nenabled = \"probe\"\n", "x.toml: plugins.enabled: must be an array of strings"),
        ("[tcp]\ninsecure_no_tls = 1\n", "x.toml: tcp.insecure_no_tls: must be true or false"),
        ("[town]\n", "x.toml: unknown section or key 'town'"),
        ("[host\n", "x.toml: line 1: not valid TOML"),
    ])
    func errors(text: String, expected: String) {
        do {
            _ = try HostConfiguration.parse(text, source: "x.toml")
            Issue.record("accepted \(text)")
        } catch {
            #expect("\(error)".hasPrefix(expected), "\(error)")
        }
    }

    @Test("whole numbers are accepted where a number is asked for")
    func doubles() throws {
        #expect(try HostConfiguration.parse("[plugins]\nrestart_multiplier = 2\n", source: "x.toml").restartMultiplier == 2)
    }
}
