import GRDB
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Testing
import XinyuPluginSDK
import XinyuRPC
import XinyuStore
import XinyuWire

/// Reliability: a write refused because the disk is full is named as such (RESOURCE_EXHAUSTED,
/// retry later), not INTERNAL ("a bug, do not retry"), changes nothing and records no answer.
@Suite("A full disk is named")
struct DiskFullTests {
    @Test("SQLITE_FULL answers RESOURCE_EXHAUSTED naming the database; reads still work; the same key succeeds once there is space")
    func diskFull() async throws {
        let database = try SharedDatabase.temporary()
        try database.migrateCore()
        try database.migrate(owner: "demo", [NamedMigration("v1") { db in try db.execute(sql: "CREATE TABLE demo_rows (n INTEGER, pad TEXT)") }])
        var registry = ServiceRegistry()
        registry.service("xinyu.demo.v1.Demo") { s in
            s.unary("Write", permission: "demo.write", mutates: true) { (request: Ping, context) in
                try await context.store.write { db -> Ping in
                    try db.execute(sql: "INSERT INTO demo_rows (n, pad) VALUES (?, ?)", arguments: [Int64(request.opaque), String(repeating: "x", count: 20_000)])
                    return request
                }
            }
            s.unary("Count", permission: "demo.write") { (_: Ping, context) in
                var reply = Ping()
                reply.opaque = UInt64(try await context.store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM demo_rows") ?? 0 })
                return reply
            }
        }
        let dispatcher = ServiceDispatcher(owner: "demo", registry: registry, database: database, caller: NoHost(), logger: Logger(label: "test"))
        let writer = Principal(id: "staff:T2", kind: .person, permissions: ["demo.write"])
        func call(_ method: String, _ n: UInt64, key: String) async throws -> (CallStatus, [ByteBuffer]) {
            var ping = Ping()
            ping.opaque = n
            var start = Xinyu_Wire_V1_CallStart()
            start.method = method
            start.idempotencyKey = key
            let out = NIOLockedValueBox<[ByteBuffer]>([])
            let status = await dispatcher.dispatch(method: method, request: try ProtobufCoding.encode(ping), start: start, principal: writer, deadline: nil) { b in
                out.withLockedValue { $0.append(b) }
            }
            return (status, out.withLockedValue { $0 })
        }

        // The writer connection may not grow the file any further: SQLite answers SQLITE_FULL,
        // as it does when the disk is full.
        let pages = try database.writeSync { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
        try database.writeSync { db in try db.execute(sql: "PRAGMA max_page_count = \(pages)") }
        let (refused, _) = try await call("xinyu.demo.v1.Demo/Write", 1, key: "k-full")
        #expect(refused.code == .resourceExhausted, "\(refused.code): \(refused.message)")
        #expect(refused.message.contains(database.path) && refused.message.contains("is full"))
        let (count, counted) = try await call("xinyu.demo.v1.Demo/Count", 0, key: "")
        #expect(count.code == .ok)
        #expect(try ProtobufCoding.decode(Ping.self, from: try #require(counted.first)).opaque == 0)

        // Space returns: the retry with the same key is applied, not replayed as a failure.
        try database.writeSync { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
        let (retried, _) = try await call("xinyu.demo.v1.Demo/Write", 1, key: "k-full")
        #expect(retried.code == .ok, "\(retried.code): \(retried.message)")
        #expect(!retried.trailers.contains { $0.key == "xinyu-idempotent-replay" })
        let rows = try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM demo_rows") }
        #expect(rows == 1)
    }
}
