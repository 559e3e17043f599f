import Foundation
import Testing
import XinyuPluginSDK
import XinyuStore
import XinyuWire
@testable import XinyuHost

/// Issue: for a moment after the socket opens, an enabled plugin that has not registered yet
/// must answer UNAVAILABLE (retry), never UNIMPLEMENTED (do not retry).
@Suite("Routing at start-up: an enabled plugin that has not registered yet")
struct StartupRoutingTests {
    static func manifest(_ plugin: String, service: String, method: String) -> Xinyu_Wire_V1_PluginManifest {
        var descriptor = Xinyu_Wire_V1_MethodDescriptor()
        descriptor.name = method
        descriptor.permission = "\(plugin).read"
        var entry = Xinyu_Wire_V1_ServiceDescriptor()
        entry.name = service
        entry.methods = [descriptor]
        var manifest = Xinyu_Wire_V1_PluginManifest()
        manifest.name = plugin
        manifest.services = [entry]
        return manifest
    }

    @Test("a never-registered plugin's methods are known by the xinyu.<plugin>.v1 convention while it starts")
    func convention() {
        let table = RoutingTable(hostRegistry: ServiceRegistry(), enabled: ["crisis"], installed: ["crisis", "probe"])
        #expect(table.route("xinyu.crisis.v1.Crisis/GetLevel").map { _ in true } == nil)
        #expect(table.startingPlugin(for: "xinyu.crisis.v1.Crisis/GetLevel") == "crisis")
        // Not enabled: not "starting" (the router answers FAILED_PRECONDITION for it).
        #expect(table.startingPlugin(for: "xinyu.probe.v1.Probe/Echo") == nil)
        #expect(table.startingPlugin(for: "other.crisis.v1.Crisis/GetLevel") == nil)
    }

    @Test("a manifest kept from the last run routes the plugin's methods before it registers, whatever their names")
    func preloaded() {
        let table = RoutingTable(hostRegistry: ServiceRegistry(), enabled: ["probe"], installed: ["probe", "tally"])
        table.preload([
            Self.manifest("probe", service: "xinyu.fixture.v1.Probe", method: "Echo"),
            // A plugin that is not enabled here is not preloaded.
            Self.manifest("tally", service: "xinyu.fixture.v1.Tally", method: "Count"),
        ])
        guard case .plugin(let name, let descriptor)? = table.route("xinyu.fixture.v1.Probe/Echo") else {
            Issue.record("the kept manifest was not routed")
            return
        }
        #expect(name == "probe" && descriptor.permission == "probe.read")
        #expect(table.record("probe")?.state == .starting)
        #expect(table.route("xinyu.fixture.v1.Tally/Count").map { _ in true } == nil)
    }

    @Test("a registered manifest is kept in the database and read back for the next start")
    func kept() throws {
        let database = try SharedDatabase.temporary()
        try database.migrate(owner: PluginManifestStore.owner, PluginManifestStore.migrations)
        let first = Self.manifest("probe", service: "xinyu.fixture.v1.Probe", method: "Echo")
        let second = Self.manifest("probe", service: "xinyu.fixture.v1.Probe", method: "Sleep")
        try database.writeSync { db in
            try PluginManifestStore.save(first, in: db, nowMs: 1)
            try PluginManifestStore.save(second, in: db, nowMs: 2)
        }
        let loaded = try database.readSync { db in try PluginManifestStore.load(["probe", "tally"], in: db) }
        #expect(loaded == [second])
    }
}

