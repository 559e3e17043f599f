import GRDB
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Testing
import XinyuPluginSDK
import XinyuRPC
import XinyuStore
import XinyuWire

/// A caller for tests that have no host.
struct NoHost: MethodCaller {
    func unary(method: String, request: ByteBuffer, options: CallOptions) async throws -> ByteBuffer {
        throw RPCError(.unavailable, "no host in this test")
    }
}

/// Uses the wire's own CallMessage/Ping types as small test messages.
typealias Ping = Xinyu_Wire_V1_Ping

@Suite("Service dispatcher (in memory)")
struct ServiceDispatcherTests {
    let database: SharedDatabase
    let dispatcher: ServiceDispatcher
    let writes = NIOLockedValueBox(0)

    init() throws {
        database = try SharedDatabase.temporary()
        try database.migrateCore()
        try database.migrate(owner: "demo", [NamedMigration("v1") { db in try db.execute(sql: "CREATE TABLE demo_rows (n INTEGER)") }])
        var registry = ServiceRegistry()
        let writes = self.writes
        registry.service("xinyu.demo.v1.Demo") { s in
            s.unary("Echo", permission: "demo.read") { (request: Ping, _) in
                var reply = Ping()
                reply.opaque = request.opaque + 1
                return reply
            }
            s.unary("Write", permission: "demo.write", mutates: true) { (request: Ping, context) in
                try await context.store.write { db in try db.execute(sql: "INSERT INTO demo_rows (n) VALUES (?)", arguments: [Int64(request.opaque)]) }
                writes.withLockedValue { $0 += 1 }
                return request
            }
            s.unary("Broken", permission: "") { (_: Ping, context) -> Ping in
                try await context.store.read { db in try db.execute(sql: "SELECT secret_column FROM no_such_table WHERE name = '张伟'") }
                return Ping()
            }
        }
        dispatcher = ServiceDispatcher(owner: "demo", registry: registry, database: database, caller: NoHost(), logger: Logger(label: "test"))
    }

    func call(_ method: String, _ bytes: ByteBuffer, principal: Principal, key: String = "") async -> (CallStatus, [ByteBuffer]) {
        var start = Xinyu_Wire_V1_CallStart()
        start.method = method
        start.idempotencyKey = key
        let out = NIOLockedValueBox<[ByteBuffer]>([])
        let status = await dispatcher.dispatch(method: method, request: bytes, start: start, principal: principal, deadline: nil) { b in out.withLockedValue { $0.append(b) } }
        return (status, out.withLockedValue { $0 })
    }

    static let reader = Principal(id: "staff:T1", kind: .person, permissions: ["demo.read"])
    static let writer = Principal(id: "staff:T2", kind: .person, permissions: ["demo.read", "demo.write"])

    @Test("a handler's answer is returned")
    func answers() async throws {
        var ping = Ping()
        ping.opaque = 41
        let (status, out) = await call("xinyu.demo.v1.Demo/Echo", try ProtobufCoding.encode(ping), principal: Self.reader)
        #expect(status.code == .ok)
        #expect(try ProtobufCoding.decode(Ping.self, from: try #require(out.first)).opaque == 42)
    }

    @Test("a missing permission is PERMISSION_DENIED naming it")
    func permission() async throws {
        let (status, _) = await call("xinyu.demo.v1.Demo/Write", try ProtobufCoding.encode(Ping()), principal: Self.reader)
        #expect(status.code == .permissionDenied)
        #expect(status.message.contains("'demo.write'"))
    }

    @Test("a malformed payload is INVALID_ARGUMENT naming the message type")
    func malformed() async {
        let (status, _) = await call("xinyu.demo.v1.Demo/Echo", ByteBuffer(bytes: [0xFF, 0xFF]), principal: Self.reader)
        #expect(status.code == .invalidArgument)
        #expect(status.message.contains("xinyu.wire.v1.Ping"))
    }

    @Test("an unknown method is UNIMPLEMENTED")
    func unknown() async {
        let (status, _) = await call("xinyu.demo.v1.Demo/Nope", ByteBuffer(), principal: Self.reader)
        #expect(status.code == .unimplemented)
    }

    @Test("an internal error tells the caller a reference, never SQL or data")
    func internalError() async throws {
        let (status, _) = await call("xinyu.demo.v1.Demo/Broken", try ProtobufCoding.encode(Ping()), principal: Self.reader)
        #expect(status.code == .internal)
        #expect(status.message.contains("reference"))
        #expect(!status.message.contains("no_such_table") && !status.message.contains("张伟"))
    }

    @Test("a retried idempotent write changes nothing more and returns the first answer")
    func idempotency() async throws {
        var ping = Ping()
        ping.opaque = 7
        let request = try ProtobufCoding.encode(ping)
        let first = await call("xinyu.demo.v1.Demo/Write", request, principal: Self.writer, key: "k1")
        let second = await call("xinyu.demo.v1.Demo/Write", request, principal: Self.writer, key: "k1")
        #expect(first.0.code == .ok && second.0.code == .ok)
        #expect(second.1.map { Array($0.readableBytesView) } == first.1.map { Array($0.readableBytesView) })
        #expect(second.0.trailers.contains { $0.key == "xinyu-idempotent-replay" })
        #expect(writes.withLockedValue { $0 } == 1)
        let rows = try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM demo_rows") }
        #expect(rows == 1)
        // Another caller's key space is separate.
        let other = Principal(id: "staff:T3", kind: .person, permissions: ["demo.write"])
        _ = await call("xinyu.demo.v1.Demo/Write", request, principal: other, key: "k1")
        #expect(writes.withLockedValue { $0 } == 2)
    }
}

@Suite("Peer addresses")
struct PeerAddressTests {
    @Test("parsing", arguments: [
        ("var/run/xinyu.sock", PeerAddress.unix(path: "var/run/xinyu.sock")),
        ("/tmp/x.sock", .unix(path: "/tmp/x.sock")),
        ("unix:x.sock", .unix(path: "x.sock")),
        ("tcp://127.0.0.1:7420", .tcp(host: "127.0.0.1", port: 7420)),
        ("localhost:7420", .tcp(host: "localhost", port: 7420)),
        ("tcp://[::1]:7420", .tcp(host: "::1", port: 7420)),
    ])
    func parse(text: String, expected: PeerAddress) throws {
        #expect(try PeerAddress(parsing: text) == expected)
    }

    @Test("nonsense is refused with a hint")
    func bad() {
        #expect(throws: RPCAddressError.self) { try PeerAddress(parsing: "localhost:99999") }
        #expect(throws: RPCAddressError.self) { try PeerAddress(parsing: "just-a-name") }
    }
}
