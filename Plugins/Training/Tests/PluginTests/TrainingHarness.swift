import Foundation
import GRDB
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SwiftProtobuf
import XinyuDirectory
import XinyuPluginSDK
import XinyuRPC
import XinyuStore
import XinyuTraining
import XinyuTrainingAPI
import XinyuTrainingCore
import XinyuWire

/// Routes the plugin's `context.call`s to the real directory service in-process, as the host
/// does: as `plugin:training`, with every permission and a city scope.
struct InProcessDirectory: MethodCaller {
    let dispatcher: ServiceDispatcher

    func unary(method: String, request: ByteBuffer, options: CallOptions) async throws -> ByteBuffer {
        let sent = NIOLockedValueBox<[ByteBuffer]>([])
        var start = Xinyu_Wire_V1_CallStart()
        start.method = method
        let plugin = Principal(id: "plugin:training", kind: .plugin, roles: ["plugin"], permissions: ["*"], scopes: [.city])
        let status = await dispatcher.dispatch(method: method, request: request, start: start, principal: plugin, deadline: nil) { b in
            sent.withLockedValue { $0.append(b) }
        }
        guard status.code == .ok, let reply = sent.withLockedValue({ $0.last }) else { throw RPCError(status.code, status.message) }
        return reply
    }
}

/// The end of one call: its status and decoded responses.
struct Reply<Response: SwiftProtobuf.Message> {
    let status: CallStatus
    let messages: [Response]
    var code: StatusCode { status.code }
    var message: String { status.message }
    var value: Response { messages.last ?? Response() }
}

/// City training staff: every training permission, city scope.
let trainer = Principal(id: "staff:G001", kind: .person, roles: ["growth_centre"],
                        permissions: ["training.read", "training.write", "training.enrol", "training.grid.write", "training.stats.read"], scopes: [.city])

/// The training plugin served in memory from a fresh database, with the real directory behind
/// `context.call`, on a manual clock (2026-03-02 09:00 in Ningbo).
struct TrainingHarness {
    let database: SharedDatabase
    let dispatcher: ServiceDispatcher
    let directory: ServiceDispatcher
    let clock: ManualClock
    static let start = Date(timeIntervalSince1970: 1_772_413_200)

    init(configuration: TrainingConfiguration = .default) throws {
        database = try SharedDatabase.temporary()
        try database.migrateCore()
        let service = DirectoryService()
        try database.migrate(owner: DirectoryService.owner, service.migrations)
        var directoryRegistry = ServiceRegistry()
        service.register(&directoryRegistry)
        clock = ManualClock(Self.start)
        directory = ServiceDispatcher(owner: "host", registry: directoryRegistry, database: database, caller: InProcessDirectory.Unused(),
                                      logger: Logger(label: "test"), clock: clock)
        let plugin = TrainingPlugin(configuration: configuration)
        try database.migrate(owner: plugin.name, plugin.migrations)
        var registry = ServiceRegistry()
        plugin.register(&registry)
        dispatcher = ServiceDispatcher(owner: "training", registry: registry, database: database, caller: InProcessDirectory(dispatcher: directory),
                                       logger: Logger(label: "test"), clock: clock)
    }

    func seed(_ body: (Database) throws -> Void) throws {
        try database.writeSync { db in try body(db) }
    }

    func call<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: String, _ request: Request, as: Response.Type, principal: Principal = trainer, key: String? = nil
    ) async throws -> Reply<Response> {
        let sent = NIOLockedValueBox<[ByteBuffer]>([])
        var start = Xinyu_Wire_V1_CallStart()
        start.method = "xinyu.training.v1.Training/\(method)"
        if let key { start.idempotencyKey = key }
        let status = await dispatcher.dispatch(method: start.method, request: try ProtobufCoding.encode(request), start: start,
                                               principal: principal, deadline: nil) { b in sent.withLockedValue { $0.append(b) } }
        let messages = try sent.withLockedValue { $0 }.map { try Response(serializedBytes: Array($0.readableBytesView)) }
        return Reply(status: status, messages: messages)
    }

    func count(_ table: String, _ condition: String = "1") throws -> Int {
        try database.readSync { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE \(condition)") ?? 0 }
    }
}

extension InProcessDirectory {
    /// The directory calls nothing else.
    struct Unused: MethodCaller {
        func unary(method: String, request: ByteBuffer, options: CallOptions) async throws -> ByteBuffer {
            throw RPCError(.unavailable, "the directory calls no other service")
        }
    }
}
