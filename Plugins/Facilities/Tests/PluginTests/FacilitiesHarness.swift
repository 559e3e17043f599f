import Foundation
import GRDB
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SwiftProtobuf
import XinyuDirectory
import XinyuFacilities
import XinyuFacilitiesCore
import XinyuPluginSDK
import XinyuRPC
import XinyuStore
import XinyuWire

/// Calls to other services: none in these tests (archive completeness is tested end to end).
struct NoOtherServices: MethodCaller {
    func unary(method: String, request: ByteBuffer, options: CallOptions) async throws -> ByteBuffer {
        throw RPCError(.unavailable, "tests have no other services")
    }
}

/// The end of one call: its status and the last response.
struct Reply<Response: SwiftProtobuf.Message> {
    let status: CallStatus
    let messages: [Response]
    var code: StatusCode { status.code }
    var message: String { status.message }
    var value: Response { messages.last ?? Response() }
}

/// An inspector of the city with every facilities permission.
let inspector = Principal(id: "staff:G001", kind: .person, roles: ["growth_centre"], permissions: ["facilities.*"], scopes: [.city])

/// The facilities plugin served in memory from a fresh database, on a manual clock.
struct FacilitiesHarness {
    let database: SharedDatabase
    let dispatcher: ServiceDispatcher
    let clock: ManualClock
    /// 2024-10-08 (a Tuesday) 09:00 in Ningbo (01:00 UTC).
    static let start = Date(timeIntervalSince1970: 1_728_349_200)

    init(configuration: FacilitiesConfiguration = .default) throws {
        database = try SharedDatabase.temporary()
        try database.migrateCore()
        try database.migrate(owner: DirectoryService.owner, DirectoryService().migrations)
        let plugin = FacilitiesPlugin(configuration: configuration)
        try database.migrate(owner: plugin.name, plugin.migrations)
        var registry = ServiceRegistry()
        plugin.register(&registry)
        clock = ManualClock(Self.start)
        dispatcher = ServiceDispatcher(owner: "facilities", registry: registry, database: database, caller: NoOtherServices(),
                                       logger: Logger(label: "test"), clock: clock)
        try database.writeSync { db in
            try DirectorySeed.school(db, id: "A", name: "宁波市第一中学", district: "海曙区", kind: "junior")
            try DirectorySeed.staff(db, id: "T001", name: "王老师", schoolID: "A")
        }
    }

    func call<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: String, _ request: Request, as: Response.Type, principal: Principal = inspector
    ) async throws -> Reply<Response> {
        let sent = NIOLockedValueBox<[ByteBuffer]>([])
        var start = Xinyu_Wire_V1_CallStart()
        start.method = "xinyu.facilities.v1.Facilities/\(method)"
        let status = await dispatcher.dispatch(method: start.method, request: try ProtobufCoding.encode(request), start: start,
                                               principal: principal, deadline: nil) { b in sent.withLockedValue { $0.append(b) } }
        let messages = try sent.withLockedValue { $0 }.map { try Response(serializedBytes: Array($0.readableBytesView)) }
        return Reply(status: status, messages: messages)
    }
}
