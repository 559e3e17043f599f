import GRDB
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Testing
import XinyuPluginSDK
import XinyuRPC
import XinyuStore
import XinyuWire

/// The idempotency promise (docs/PROTOCOL.md §6.6): a retry with the same key gets the first
/// answer, also when the handler was cancelled or the plugin died right after its write committed.
@Suite("Idempotent answers commit with the change")
struct IdempotentAnswerTests {
    let database: SharedDatabase
    /// Yields once each time a handler's write has committed; the handler then waits to be cancelled.
    let committed: AsyncStream<Void>
    let registry: ServiceRegistry

    init() throws {
        database = try SharedDatabase.temporary()
        try database.migrateCore()
        try database.migrate(owner: "demo", [NamedMigration("v1") { db in try db.execute(sql: "CREATE TABLE demo_rows (n INTEGER)") }])
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        committed = stream
        var registry = ServiceRegistry()
        registry.service("xinyu.demo.v1.Demo") { s in
            // The usual shape: the write returns the reply. Then the handler outlives its deadline.
            s.unary("WriteThenHang", permission: "demo.write", mutates: true) { (request: Ping, context) in
                let reply = try await context.store.write { db -> Ping in
                    try db.execute(sql: "INSERT INTO demo_rows (n) VALUES (?)", arguments: [Int64(request.opaque)])
                    var reply = Ping()
                    reply.opaque = request.opaque * 10
                    return reply
                }
                continuation.yield()
                try await Task.sleep(for: .seconds(3600))
                return reply
            }
        }
        self.registry = registry
    }

    func dispatcher() -> ServiceDispatcher {
        ServiceDispatcher(owner: "demo", registry: registry, database: database, caller: NoHost(), logger: Logger(label: "test"))
    }

    static let writer = Principal(id: "staff:T2", kind: .person, permissions: ["demo.write"])
    static let method = "xinyu.demo.v1.Demo/WriteThenHang"

    static func request(_ n: UInt64) throws -> ByteBuffer {
        var ping = Ping()
        ping.opaque = n
        return try ProtobufCoding.encode(ping)
    }

    static func dispatch(_ dispatcher: ServiceDispatcher, _ request: ByteBuffer, key: String) async -> (CallStatus, [ByteBuffer]) {
        var start = Xinyu_Wire_V1_CallStart()
        start.method = method
        start.idempotencyKey = key
        let out = NIOLockedValueBox<[ByteBuffer]>([])
        let status = await dispatcher.dispatch(method: method, request: request, start: start, principal: writer, deadline: nil) { b in
            out.withLockedValue { $0.append(b) }
        }
        return (status, out.withLockedValue { $0 })
    }

    func rows() async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM demo_rows") ?? 0 }
    }

    @Test("a deadline that cancels the handler after its write committed: the retry gets the first answer, not ABORTED")
    func cancelledAfterCommit() async throws {
        let dispatcher = dispatcher()
        let request = try Self.request(4)
        let first = Task { await Self.dispatch(dispatcher, request, key: "k-cancel") }
        var commits = committed.makeAsyncIterator()
        _ = await commits.next()
        first.cancel()
        let (status, responses) = await first.value
        // The committed change is the answer: this call reports it too.
        #expect(status.code == .ok)
        #expect(try responses.map { try ProtobufCoding.decode(Ping.self, from: $0).opaque } == [40])

        let retry = Task { await Self.dispatch(dispatcher, request, key: "k-cancel") }
        let (again, replayed) = await retry.value
        #expect(again.code == .ok, "\(again.code): \(again.message)")
        #expect(again.trailers.contains { $0.key == "xinyu-idempotent-replay" })
        #expect(try replayed.map { try ProtobufCoding.decode(Ping.self, from: $0).opaque } == [40])
        #expect(try await rows() == 1)
    }

    @Test("a plugin that dies between the commit and the answer: a restarted plugin replays the committed answer")
    func diedAfterCommit() async throws {
        let request = try Self.request(5)
        // The first plugin commits and then never gets to answer (its task is simply abandoned,
        // as a kill -9 would leave it).
        let dying = Task { await Self.dispatch(dispatcher(), request, key: "k-crash") }
        var commits = committed.makeAsyncIterator()
        _ = await commits.next()
        let scope = IdempotencyScope(owner: "demo", method: Self.method, principalID: Self.writer.id, key: "k-crash")
        let digest = IdempotencyLedger.digest(Array(request.readableBytesView))
        let state = try await database.read { db in try IdempotencyLedger.state(db, scope: scope, requestDigest: digest) }
        guard case .answered(let answer) = state else {
            Issue.record("the change committed without its answer: \(state)")
            dying.cancel()
            return
        }
        #expect(answer.code == StatusCode.ok.rawValue)

        // A new dispatcher on the same database is the restarted plugin.
        let (status, responses) = await Self.dispatch(dispatcher(), request, key: "k-crash")
        #expect(status.code == .ok, "\(status.code): \(status.message)")
        #expect(try responses.map { try ProtobufCoding.decode(Ping.self, from: $0).opaque } == [50])
        #expect(try await rows() == 1)
        dying.cancel()
        _ = await dying.value
    }
}
