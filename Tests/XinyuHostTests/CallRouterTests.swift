import Foundation
import Logging
import NIOCore
import Testing
import XinyuPluginSDK
import XinyuRPC
import XinyuStore
import XinyuWire
@testable import XinyuHost

@Suite("Call router: calls in flight and the shutdown drain")
struct CallRouterTests {
    static func manifest(_ plugin: String, method: String) -> Xinyu_Wire_V1_PluginManifest {
        var descriptor = Xinyu_Wire_V1_MethodDescriptor()
        descriptor.name = method
        descriptor.permission = "probe.echo"
        var service = Xinyu_Wire_V1_ServiceDescriptor()
        service.name = "xinyu.\(plugin).v1.Probe"
        service.methods = [descriptor]
        var manifest = Xinyu_Wire_V1_PluginManifest()
        manifest.name = plugin
        manifest.services = [service]
        return manifest
    }

    @Test("a forwarded call that fails at once leaves nothing in flight, so the drain does not wait")
    func callFailingAtOnceIsNotLeftInFlight() async throws {
        let loopback = try Loopback()
        let database = try SharedDatabase.temporary()
        let logger = Logger(label: "test.router")
        let table = RoutingTable(hostRegistry: ServiceRegistry(), enabled: ["probe"], installed: ["probe"])
        let dispatcher = ServiceDispatcher(owner: "host", registry: ServiceRegistry(), database: database, caller: RoutedCaller(router: RouterBox()), logger: logger)
        let router = CallRouter(table: table, hostDispatcher: dispatcher, logger: logger, audit: { _ in })
        let caller = Principal(id: "test", kind: .person, permissions: ["*"])

        // The plugin's connection closed a moment ago; the table still says "ready".
        let pluginSide = try await loopback.listen("p.sock") { _ in Acceptor() }
        let plugin = try await loopback.connect(pluginSide)
        #expect(table.install(Self.manifest("probe", method: "Echo"), connection: plugin) == nil)
        plugin.close(reason: "plugin went away")
        try await plugin.closeFuture.get()

        let clientSide = try await loopback.listen("c.sock") { _ in
            Acceptor { call in router.route(call, principal: caller, source: "test") }
        }
        let client = try await loopback.connect(clientSide)
        let status: RPCError? = await {
            do {
                _ = try await client.unary(CallOptions().callStart(method: "xinyu.probe.v1.Probe/Echo"), payload: ByteBuffer())
                return nil
            } catch { return error as? RPCError }
        }()
        #expect(status?.code == .unavailable)
        #expect(router.inFlightCount == 0, "a call that ended while being started must not stay in flight")
        let started = ContinuousClock.now
        #expect(await router.drain(timeout: .seconds(5)))
        // Well under the 5 s timeout: it did not wait for it (a loaded CI machine can take a second).
        #expect(ContinuousClock.now - started < .seconds(4))

        client.close(reason: "done")
        await clientSide.close()
        await pluginSide.close()
        await loopback.shutdown()
    }

    @Test("the drain returns as soon as the last call ends, and false when the timeout passes first")
    func drainWakesOnLastCall() async throws {
        let loopback = try Loopback()
        let database = try SharedDatabase.temporary()
        let logger = Logger(label: "test.router")
        let table = RoutingTable(hostRegistry: ServiceRegistry(), enabled: ["probe"], installed: ["probe"])
        let dispatcher = ServiceDispatcher(owner: "host", registry: ServiceRegistry(), database: database, caller: RoutedCaller(router: RouterBox()), logger: logger)
        let router = CallRouter(table: table, hostDispatcher: dispatcher, logger: logger, audit: { _ in })
        let caller = Principal(id: "test", kind: .person, permissions: ["*"])

        // A plugin that holds every call until the test answers it.
        let (held, hold) = AsyncStream.makeStream(of: InboundCall.self)
        let pluginSide = try await loopback.listen("p.sock") { _ in Acceptor { hold.yield($0) } }
        let plugin = try await loopback.connect(pluginSide)
        #expect(table.install(Self.manifest("probe", method: "Echo"), connection: plugin) == nil)
        let clientSide = try await loopback.listen("c.sock") { _ in
            Acceptor { call in router.route(call, principal: caller, source: "test") }
        }
        let client = try await loopback.connect(clientSide)
        async let answer = client.unary(CallOptions().callStart(method: "xinyu.probe.v1.Probe/Echo"), payload: ByteBuffer())
        let call = try #require(await first(of: held, within: .seconds(10)), "the call never reached the plugin")
        #expect(router.inFlightCount(plugin: "probe") == 1)
        #expect(await router.drain(timeout: .milliseconds(50)) == false)

        async let drained = router.drain(timeout: .seconds(30))
        call.connection.reply(call.streamID, payload: ByteBuffer())
        let started = ContinuousClock.now
        #expect(await drained)
        #expect(ContinuousClock.now - started < .seconds(5))
        _ = try await answer

        client.close(reason: "done")
        plugin.close(reason: "done")
        await clientSide.close()
        await pluginSide.close()
        await loopback.shutdown()
    }
}
