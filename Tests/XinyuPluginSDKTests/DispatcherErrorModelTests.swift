import Logging
import NIOCore
import Testing
import XinyuPluginSDK
import XinyuRPC
import XinyuStore
import XinyuWire

/// What a handler throws is what the caller gets: code, message and metadata; the cause
/// stays in the plugin's log.
@Suite("Service dispatcher: the error a handler throws")
struct DispatcherErrorModelTests {
    struct LedgerLocked: Error {}

    @Test("an RPCError's code, message and metadata reach the caller; its cause does not")
    func thrownErrorReachesCaller() async throws {
        let database = try SharedDatabase.temporary()
        try database.migrateCore()
        var registry = ServiceRegistry()
        registry.service("xinyu.demo.v1.Demo") { s in
            s.unary("Refuse", permission: "") { (_: Ping, _) -> Ping in
                var retry = Xinyu_Wire_V1_MetadataEntry()
                retry.key = "retry-after-ms"
                retry.value = "500"
                throw RPCError(.unavailable, "the ledger is busy; retry", metadata: [retry], cause: LedgerLocked())
            }
        }
        let dispatcher = ServiceDispatcher(owner: "demo", registry: registry, database: database, caller: NoHost(), logger: Logger(label: "test"))
        var start = Xinyu_Wire_V1_CallStart()
        start.method = "xinyu.demo.v1.Demo/Refuse"
        let status = await dispatcher.dispatch(
            method: start.method, request: try ProtobufCoding.encode(Ping()), start: start,
            principal: Principal(id: "staff:T1", kind: .person), deadline: nil) { _ in }
        #expect(status.code == .unavailable)
        #expect(status.message == "the ledger is busy; retry")
        #expect(status.trailers.map(\.key) == ["retry-after-ms"])
        #expect(status.error?.metadataValue("retry-after-ms") == "500")
    }
}
