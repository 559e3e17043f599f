import Foundation
import GRDB
import Logging
import NIOCore
import SwiftProtobuf
import XinyuCoreAPI
import XinyuDirectory
import XinyuPluginSDK
import XinyuRPC
import XinyuStore
import XinyuWire

/// A caller for calls to other services: the directory makes none, so any call is a bug.
struct NoOtherServices: MethodCaller {
    func unary(method: String, request: ByteBuffer, options: CallOptions) async throws -> ByteBuffer {
        throw RPCError(.unavailable, "tests have no other services")
    }
}

/// Collects what a call sends, from whichever thread sends it.
final class SentMessages: @unchecked Sendable {
    private let lock = NSLock()
    private var buffers: [ByteBuffer] = []

    func add(_ buffer: ByteBuffer) { lock.withLock { buffers.append(buffer) } }
    var all: [ByteBuffer] { lock.withLock { buffers } }
}

/// The end of one call: its status and the responses it sent, decoded.
struct Reply<Response: SwiftProtobuf.Message> {
    let status: CallStatus
    let messages: [Response]

    var code: StatusCode { status.code }
    var message: String { status.message }
    /// The single response of a successful unary call.
    var value: Response { messages.first ?? Response() }
    /// The students (or other subjects) the call reported for the audit trail.
    var subjects: [String] {
        status.trailers.first { $0.key == "xinyu-subjects" }.map { $0.value.split(separator: ",").map(String.init) } ?? []
    }
}

/// Everyone's permissions, as an operator would have them.
let administrator = Principal(id: "operator:test", kind: .operator, permissions: ["directory.read", "directory.write", "directory.import"])
/// A reader: may look, not change.
let reader = Principal(id: "staff:T900", kind: .person, permissions: ["directory.read"])

/// The directory served in-process from a fresh temporary database, through the real dispatcher.
struct DirectoryHarness {
    let database: SharedDatabase
    let dispatcher: ServiceDispatcher

    init() throws {
        database = try SharedDatabase.temporary()
        try database.migrateCore()
        let service = DirectoryService()
        try database.migrate(owner: DirectoryService.owner, service.migrations)
        var registry = ServiceRegistry()
        service.register(&registry)
        dispatcher = ServiceDispatcher(owner: "host", registry: registry, database: database, caller: NoOtherServices(), logger: Logger(label: "test"))
    }

    /// Calls `Directory/<method>` and decodes what it sent as `Response`.
    func call<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: String, _ request: Request, as response: Response.Type, principal: Principal = administrator
    ) async throws -> Reply<Response> {
        let sent = SentMessages()
        var start = Xinyu_Wire_V1_CallStart()
        start.method = "\(DirectoryService.serviceName)/\(method)"
        let status = await dispatcher.dispatch(
            method: start.method, request: try ProtobufCoding.encode(request), start: start, principal: principal,
            deadline: nil, send: { sent.add($0) })
        let messages = try sent.all.map { try Response(serializedBytes: Array($0.readableBytesView)) }
        return Reply(status: status, messages: messages)
    }

    /// Counts the rows of a directory table, straight from the database.
    func count(_ table: String) throws -> Int {
        try database.readSync { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }
}

extension DirectoryHarness {
    /// Calls a method with any request and returns only the status: for error tests.
    func status(_ method: String, _ request: any SwiftProtobuf.Message, principal: Principal = administrator) async throws -> CallStatus {
        var start = Xinyu_Wire_V1_CallStart()
        start.method = "\(DirectoryService.serviceName)/\(method)"
        return await dispatcher.dispatch(
            method: start.method, request: try ProtobufCoding.encode(request), start: start, principal: principal,
            deadline: nil, send: { _ in })
    }
}
