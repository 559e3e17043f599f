import Foundation
import Testing
import XinyuClient
import XinyuCoreAPI

/// The `service` declarations under `Protos/` are what partners generate clients from, so they
/// must say exactly what the host serves: every method the host and each plugin register (as
/// `ListMethods` reports them) is declared with the same permission, mutates flag, streaming and
/// message types, and every declared rpc is served. Fails when either side changes alone.
@Suite("Proto service declarations match what is served")
struct ProtoServiceDriftTests {
    /// Test-only services (Protos/xinyu/fixture) are served by fixture plugins, not shipped.
    static let fixturePackage = "xinyu.fixture."
    /// Served by every plugin's SDK to the host alone; not routed, so not in ListMethods.
    static let pluginControl = "xinyu.plugin.v1.PluginControl/"

    /// Every plugin folder under Plugins/, as its plugin name: new plugins are covered unasked.
    static var shippedPlugins: [String] {
        let plugins = URL(fileURLWithPath: #filePath.components(separatedBy: "/Tests/")[0]).appendingPathComponent("Plugins")
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: plugins.path)) ?? []
        return folders.filter { name in
            var isFolder: ObjCBool = false
            return !name.hasPrefix(".") && FileManager.default.fileExists(atPath: plugins.appendingPathComponent(name).path, isDirectory: &isFolder) && isFolder.boolValue
        }.map { $0.lowercased() }.sorted()
    }

    @Test("every routed method is declared with the same permission and types, and every declared rpc is routed")
    func routedMatchesDeclared() async throws {
        let declared = try ProtoServiceDeclarations.load().filter { !$0.method.hasPrefix(Self.fixturePackage) && !$0.method.hasPrefix(Self.pluginControl) }
        #expect(Set(declared.map(\.method)).count == declared.count, "an rpc is declared twice")
        let plugins = Self.shippedPlugins
        #expect(plugins.contains("crisis"))

        let host = try await RunningHost(plugins: plugins)
        let client = try await host.client()
        let listed = try await client.call("xinyu.host.v1.Host/ListMethods", Xinyu_Host_V1_ListMethodsRequest(), as: Xinyu_Host_V1_ListMethodsResponse.self)
        await client.close()
        #expect(try await host.stop() == 0)

        let served = listed.methods.filter { !$0.method.hasPrefix(Self.fixturePackage) }.map {
            DeclaredMethod(method: $0.method, permission: $0.permission, mutates: $0.mutates, serverStreaming: $0.serverStreaming,
                           requestType: $0.requestType, responseType: $0.responseType)
        }
        for name in ["xinyu.host.v1.Host/Status", "xinyu.admin.v1.Admin/IssueToken", "xinyu.directory.v1.Directory/CreateStudent", "xinyu.crisis.v1.Crisis/OpenCase"] {
            #expect(served.contains { $0.method == name }, "ListMethods does not report \(name)")
        }
        let declaredByName = Dictionary(uniqueKeysWithValues: declared.map { ($0.method, $0) })
        let servedByName = Dictionary(served.map { ($0.method, $0) }, uniquingKeysWith: { first, _ in first })
        for method in served where declaredByName[method.method] == nil {
            Issue.record("served but not declared in Protos/: \(method)")
        }
        for method in declared where servedByName[method.method] == nil {
            Issue.record("declared in Protos/ but not served: \(method)")
        }
        for (name, method) in servedByName {
            guard let proto = declaredByName[name] else { continue }
            #expect(proto == method, "Protos/ declares \(proto)\n  but the host serves \(method)")
        }
    }

    @Test("PluginControl/Deliver is declared as the SDK serves it")
    func pluginControl() throws {
        let declared = try ProtoServiceDeclarations.load().filter { $0.method.hasPrefix(Self.pluginControl) }
        #expect(declared == [DeclaredMethod(
            method: "xinyu.plugin.v1.PluginControl/Deliver", permission: "host", mutates: false, serverStreaming: false,
            requestType: "xinyu.plugin.v1.EventDelivery", responseType: "xinyu.plugin.v1.EventAck")])
    }

    @Test("the scan reads permissions, mutates, streaming and package-qualified types, and refuses an rpc without a permission")
    func scan() throws {
        let text = """
            package xinyu.demo.v1;
            service Demo {
              // Comment lines before the permission are fine.
              // permission: demo.write; mutates
              rpc Import(ImportRequest) returns (stream ImportEvent);
              // permission: none
              rpc Ping(xinyu.other.v1.PingRequest) returns (PingReply);
            }
            message ImportRequest {}
            """
        #expect(try ProtoServiceDeclarations.parse(text, file: "demo.proto") == [
            DeclaredMethod(method: "xinyu.demo.v1.Demo/Import", permission: "demo.write", mutates: true, serverStreaming: true,
                           requestType: "xinyu.demo.v1.ImportRequest", responseType: "xinyu.demo.v1.ImportEvent"),
            DeclaredMethod(method: "xinyu.demo.v1.Demo/Ping", permission: "", mutates: false, serverStreaming: false,
                           requestType: "xinyu.other.v1.PingRequest", responseType: "xinyu.demo.v1.PingReply"),
        ])
        #expect(throws: ScanProblem.self) {
            try ProtoServiceDeclarations.parse("package p;\nservice S {\n  rpc A(B) returns (C);\n}\n", file: "bad.proto")
        }
    }
}
