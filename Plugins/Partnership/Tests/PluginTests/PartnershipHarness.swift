import Foundation
import GRDB
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SwiftProtobuf
import XinyuDirectory
import XinyuEventsAPI
import XinyuPartnership
import XinyuPartnershipAPI
import XinyuPartnershipCore
import XinyuPluginSDK
import XinyuRPC
import XinyuStore
import XinyuWire

/// Stands in for crisis: records each RaiseConcern and answers with a concern id.
final class FakeCrisis: MethodCaller {
    let raised = NIOLockedValueBox<[Xinyu_Partnership_V1_CrisisConcernRequest]>([])

    func unary(method: String, request: ByteBuffer, options: CallOptions) async throws -> ByteBuffer {
        guard method == "xinyu.crisis.v1.Crisis/RaiseConcern" else { throw RPCError(.unimplemented, "no \(method)") }
        let concern = try Xinyu_Partnership_V1_CrisisConcernRequest(serializedBytes: Array(request.readableBytesView))
        let count = raised.withLockedValue { $0.append(concern); return $0.count }
        var reply = Xinyu_Partnership_V1_CrisisConcern()
        reply.id = String(count)
        reply.studentID = concern.studentID
        return try ProtobufCoding.encode(reply)
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

/// The growth centre (学生成长指导中心): every partnership permission, city-wide.
let centre = Principal(id: "staff:G001", kind: .person, roles: ["growth_centre"], permissions: ["partnership.*"], scopes: [.city])
/// A psych teacher of school A.
let psychA = Principal(id: "staff:P001", kind: .person, roles: ["psych_teacher"],
                       permissions: ["partnership.read", "partnership.referral.read", "partnership.referral.write", "partnership.clinical.read", "partnership.session.book"],
                       scopes: [DataScope(kind: "school", ids: ["A"])])
/// Kangning hospital's green channel (康宁医院 绿色通道).
let kangning = Principal(id: "agency:kangning", kind: .agency, roles: ["agency_hospital"],
                         permissions: ["partnership.read", "partnership.referral.read", "partnership.referral.write"],
                         scopes: [DataScope(kind: "agency", ids: ["kangning"])], agencyKind: "hospital")
/// Another hospital (第七人民医院).
let seventh = Principal(id: "agency:seventh", kind: .agency, roles: ["agency_hospital"],
                        permissions: ["partnership.read", "partnership.referral.read", "partnership.referral.write"],
                        scopes: [DataScope(kind: "agency", ids: ["seventh"])], agencyKind: "hospital")

/// The partnership plugin served in memory from a fresh database with a small directory, on a manual clock.
struct PartnershipHarness {
    let database: SharedDatabase
    let dispatcher: ServiceDispatcher
    let clock: ManualClock
    let crisis = FakeCrisis()
    private let nextEvent = NIOLockedValueBox<Int64>(0)
    /// 2024-10-08 09:00 in Ningbo (01:00 UTC).
    static let start = Date(timeIntervalSince1970: 1_728_349_200)

    init(configuration: PartnershipConfiguration = .default, signAgreements: Bool = true) throws {
        database = try SharedDatabase.temporary()
        try database.migrateCore()
        try database.migrate(owner: DirectoryService.owner, DirectoryService().migrations)
        let plugin = PartnershipPlugin(configuration: configuration)
        try database.migrate(owner: plugin.name, plugin.migrations)
        var registry = ServiceRegistry()
        plugin.register(&registry)
        clock = ManualClock(Self.start)
        dispatcher = ServiceDispatcher(owner: "partnership", registry: registry, database: database, caller: crisis,
                                       logger: Logger(label: "test"), clock: clock)
        try database.writeSync { db in
            try DirectorySeed.school(db, id: "A", name: "宁波市第一中学", district: "海曙区", kind: "junior")
            try DirectorySeed.school(db, id: "B", name: "宁波市第二中学", district: "江北区", kind: "senior")
            try DirectorySeed.schoolClass(db, id: "C1", schoolID: "A", grade: 8, name: "1班", homeroomTeacherID: nil)
            try DirectorySeed.schoolClass(db, id: "C3", schoolID: "B", grade: 10, name: "1班", homeroomTeacherID: nil)
            try DirectorySeed.student(db, id: "S1", name: "张伟", gender: "male", birthDate: "2010-04-23", schoolID: "A", classID: "C1")
            try DirectorySeed.student(db, id: "S4", name: "刘洋", gender: "male", birthDate: "2008-09-30", schoolID: "B", classID: "C3")
        }
        // Referrals reach only agencies with an agreement in force: both hospitals have one.
        if signAgreements {
            try database.writeSync { db in
                for agency in ["kangning", "seventh"] {
                    try db.execute(sql: "INSERT INTO partnership_agencies (id, kind, name, contacts, created_at_ms) VALUES (?, 'hospital', ?, '[]', 0)",
                                   arguments: [agency, agency])
                    try db.execute(sql: "INSERT INTO partnership_agreements (agency_id, signed_on, expires_on, scope, purposes) VALUES (?, '2024-01-01', '2026-12-31', '转介', '[\"referral\"]')",
                                   arguments: [agency])
                }
            }
        }
    }

    func call<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: String, _ request: Request, as: Response.Type, principal: Principal = centre
    ) async throws -> Reply<Response> {
        let sent = NIOLockedValueBox<[ByteBuffer]>([])
        var start = Xinyu_Wire_V1_CallStart()
        start.method = "xinyu.partnership.v1.Partnership/\(method)"
        let status = await dispatcher.dispatch(method: start.method, request: try ProtobufCoding.encode(request), start: start,
                                               principal: principal, deadline: nil) { b in sent.withLockedValue { $0.append(b) } }
        let messages = try sent.withLockedValue { $0 }.map { try Response(serializedBytes: Array($0.readableBytesView)) }
        return Reply(status: status, messages: messages)
    }

    /// Delivers `crisis.referral.requested` as the host would.
    @discardableResult
    func deliver(_ event: Xinyu_Events_V1_ReferralRequested) async throws -> CallStatus {
        var delivery = Xinyu_Plugin_V1_EventDelivery()
        delivery.eventID = nextEvent.withLockedValue { $0 += 1; return $0 }
        delivery.topic = "crisis.referral.requested"
        delivery.publisher = "crisis"
        delivery.recordedAtMs = Int64(clock.now().timeIntervalSince1970 * 1000)
        delivery.payload = try event.serializedData()
        delivery.actorID = event.requestedBy
        return await dispatcher.dispatch(method: ServiceDispatcher.deliverMethod, request: try ProtobufCoding.encode(delivery), start: .init(),
                                         principal: .host, deadline: nil) { _ in }
    }

    /// A referral to `agency` for S1, with the guardian's consent unless `basis` says otherwise.
    static func referral(_ id: String, agency: String = "kangning", student: String = "S1", school: String = "A", urgent: Bool = true,
                         basis: String = "guardian_consent") -> Xinyu_Events_V1_ReferralRequested {
        var e = Xinyu_Events_V1_ReferralRequested()
        e.referralID = id
        e.caseID = "7"
        e.studentID = student
        e.schoolID = school
        e.agency = agency
        e.reason = "需要精神科评估（绿色通道）"
        e.urgent = urgent
        e.requestedBy = "staff:P001"
        e.requestedAtMs = Int64(start.timeIntervalSince1970 * 1000)
        e.legalBasis = basis
        e.consentOn = basis == "guardian_consent" ? "2024-10-07" : ""
        return e
    }

    func count(_ table: String, _ condition: String = "1") throws -> Int {
        try database.readSync { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE \(condition)") ?? 0 }
    }

    /// `partnership.referral.updated` events in the outbox, in order.
    func updates() throws -> [Xinyu_Events_V1_ReferralUpdated] {
        try database.readSync { db in
            try Data.fetchAll(db, sql: "SELECT payload FROM xinyu_outbox WHERE topic = 'partnership.referral.updated' ORDER BY id")
        }.map { try Xinyu_Events_V1_ReferralUpdated(serializedBytes: $0) }
    }

    func update(_ id: String, to: Xinyu_Partnership_V1_ReferralStatus, principal: Principal = kangning,
                _ configure: (inout Xinyu_Partnership_V1_UpdateReferralRequest) -> Void = { _ in }) async throws -> Reply<Xinyu_Partnership_V1_Referral> {
        var request = Xinyu_Partnership_V1_UpdateReferralRequest()
        request.referralID = id
        request.to = to
        configure(&request)
        return try await call("UpdateReferral", request, as: Xinyu_Partnership_V1_Referral.self, principal: principal)
    }
}
