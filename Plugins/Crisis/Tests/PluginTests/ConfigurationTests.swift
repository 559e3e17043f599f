import Foundation
import Testing
import XinyuCrisis
import XinyuCrisisCore
import XinyuPluginSDK

@Suite("Crisis settings")
struct ConfigurationTests {
    /// The repository's Config/plugins/crisis.toml (this file is Plugins/Crisis/Tests/PluginTests/…).
    static let settingsPath = URL(fileURLWithPath: #filePath.components(separatedBy: "/Plugins/")[0])
        .appendingPathComponent("Config/plugins/crisis.toml").path

    @Test("the shipped Config/plugins/crisis.toml parses and equals the built-in defaults")
    func shippedSettings() throws {
        let text = try String(contentsOfFile: Self.settingsPath, encoding: .utf8)
        let plugin = try CrisisPlugin().configured(with: PluginSettings(path: Self.settingsPath, text: text))
        #expect(plugin.configuration.policy == CrisisConfiguration.default.policy)
        #expect(plugin.configuration.timings == CrisisConfiguration.default.timings)
        #expect(plugin.configuration.detection == CrisisConfiguration.default.detection)
    }

    @Test("configured timings drive the assignment deadline")
    func configuredDeadline() async throws {
        let config = try CrisisConfiguration.parse("[timings]\nassignment_deadline_minutes = { 1 = 15 }\n", source: "test.toml")
        let h = try CrisisHarness(configuration: config)
        let opened = try await h.levelOneCase()
        h.clock.advance(by: .seconds(16 * 60))
        try await h.dispatcher.fireDueTimers()
        #expect(try h.topics().contains("crisis.case.escalated"), "escalated after 15 minutes for case \(opened.id)")
    }

    @Test("a bad settings file is refused naming the key")
    func badSettings() {
        #expect(throws: (any Error).self) {
            _ = try CrisisPlugin().configured(with: PluginSettings(path: "crisis.toml", text: "[timings]\nconcern_acknowledge_minutes = -1\n"))
        }
    }
}
