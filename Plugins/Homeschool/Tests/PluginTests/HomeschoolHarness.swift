import Foundation
import GRDB
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SwiftProtobuf
import XinyuDirectory
import XinyuEventsAPI
import XinyuHomeschool
import XinyuHomeschoolAPI
import XinyuHomeschoolCore
import XinyuPluginSDK
import XinyuRPC
import XinyuStore
import XinyuWire

/// Stands in for crisis's RaiseConcern as the host and crisis answer it: a retry with the same
/// idempotency key gets the first concern back. `loseNextAnswer` raises the concern but throws, as
/// when the answer is lost on the way back. Any other method is unavailable.
final class FakeCrisis: MethodCaller {
    struct State {
        var concerns: [(key: String?, request: Xinyu_Homeschool_V1_CrisisConcernRequest)] = []
        var loseNextAnswer = false
    }
    let state = NIOLockedValueBox(State())

    func unary(method: String, request: ByteBuffer, options: CallOptions) async throws -> ByteBuffer {
        guard method == "xinyu.crisis.v1.Crisis/RaiseConcern" else { throw RPCError(.unavailable, "tests have no \(method)") }
        let concern = try Xinyu_Homeschool_V1_CrisisConcernRequest(serializedBytes: Array(request.readableBytesView))
        let (id, lost) = state.withLockedValue { state -> (Int, Bool) in
            if let key = options.idempotencyKey, let first = state.concerns.firstIndex(where: { $0.key == key }) { return (first + 1, false) }
            state.concerns.append((options.idempotencyKey, concern))
            let lost = state.loseNextAnswer
            state.loseNextAnswer = false
            return (state.concerns.count, lost)
        }
        if lost { throw RPCError(.unavailable, "the answer was lost") }
        var reply = Xinyu_Homeschool_V1_CrisisConcern()
        reply.id = String(id)
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

/// City-wide staff holding every homeschool permission.
let cityStaff = Principal(id: "staff:P001", kind: .person, roles: ["growth_centre"], permissions: ["homeschool.*"], scopes: [.city])

/// The class teacher (班主任) of class C1 only.
let classTeacher = Principal(id: "staff:T001", kind: .person, roles: ["class_teacher"],
                             permissions: ["homeschool.read", "homeschool.visit.write", "homeschool.stats.read"],
                             scopes: [DataScope(kind: "class", ids: ["C1"])])

/// The homeschool plugin served in memory on a database with a small directory, on a manual clock.
struct HomeschoolHarness {
    let database: SharedDatabase
    let dispatcher: ServiceDispatcher
    let clock: ManualClock
    let crisis: FakeCrisis
    /// 2026-10-08 09:00 in Ningbo (01:00 UTC): school year 2026.
    static let start = Date(timeIntervalSince1970: 1_791_421_200)

    /// A fresh database and directory.
    init(configuration: HomeschoolConfiguration = .default) throws {
        let database = try SharedDatabase.temporary()
        try database.migrateCore()
        try database.migrate(owner: DirectoryService.owner, DirectoryService().migrations)
        try Self.seedDirectory(database)
        try self.init(database: database, clock: ManualClock(Self.start), crisis: FakeCrisis(), configuration: configuration)
    }

    /// The plugin started (again) on an existing database: what a restart does.
    init(database: SharedDatabase, clock: ManualClock, crisis: FakeCrisis, configuration: HomeschoolConfiguration = .default) throws {
        self.database = database
        self.clock = clock
        self.crisis = crisis
        let plugin = HomeschoolPlugin(configuration: configuration)
        try database.migrate(owner: plugin.name, plugin.migrations)
        var registry = ServiceRegistry()
        plugin.register(&registry)
        dispatcher = ServiceDispatcher(owner: "homeschool", registry: registry, database: database, caller: crisis,
                                       logger: Logger(label: "test"), clock: clock)
    }

    /// A restart: a new dispatcher on the same database and clock.
    func restarted() throws -> HomeschoolHarness { try HomeschoolHarness(database: database, clock: clock, crisis: crisis) }

    /// Two schools; C1 (S1, S2, S5), C2 (S3) in A; C3 (S4) in B. S1 has a mother and father; S2 is 12.
    static func seedDirectory(_ database: SharedDatabase) throws {
        try database.writeSync { db in
            try DirectorySeed.school(db, id: "A", name: "宁波市第一中学", district: "海曙区", kind: "junior")
            try DirectorySeed.school(db, id: "B", name: "宁波市第二中学", district: "江北区", kind: "senior")
            for (id, name) in [("P001", "陈老师"), ("T001", "王老师"), ("T002", "赵老师")] {
                try DirectorySeed.staff(db, id: id, name: name, schoolID: "A")
            }
            try DirectorySeed.schoolClass(db, id: "C1", schoolID: "A", grade: 8, name: "1班", homeroomTeacherID: "T001")
            try DirectorySeed.schoolClass(db, id: "C2", schoolID: "A", grade: 8, name: "2班", homeroomTeacherID: "T002")
            try DirectorySeed.schoolClass(db, id: "C3", schoolID: "B", grade: 10, name: "1班", homeroomTeacherID: nil)
            let students = [("S1", "张伟", "male", "2010-04-23", "A", "C1"), ("S2", "李娜", "female", "2014-02-11", "A", "C1"),
                            ("S5", "陈静", "female", "2010-03-03", "A", "C1"),
                            ("S3", "王芳", "female", "2010-06-01", "A", "C2"), ("S4", "刘洋", "male", "2008-09-30", "B", "C3")]
            for (id, name, gender, birthDate, school, schoolClass) in students {
                try DirectorySeed.student(db, id: id, name: name, gender: gender, birthDate: birthDate, schoolID: school, classID: schoolClass)
            }
            try DirectorySeed.guardian(db, studentID: "S1", name: "李梅", relation: "母亲", phone: "13800000001")
            try DirectorySeed.guardian(db, studentID: "S1", name: "张强", relation: "父亲", phone: "13800000002")
            try DirectorySeed.guardian(db, studentID: "S2", name: "李华", relation: "母亲", phone: "13800000003")
        }
    }

    func call<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: String, _ request: Request, as: Response.Type, principal: Principal = cityStaff
    ) async throws -> Reply<Response> {
        let sent = NIOLockedValueBox<[ByteBuffer]>([])
        var start = Xinyu_Wire_V1_CallStart()
        start.method = "xinyu.homeschool.v1.Homeschool/\(method)"
        let status = await dispatcher.dispatch(method: start.method, request: try ProtobufCoding.encode(request), start: start,
                                               principal: principal, deadline: nil) { b in sent.withLockedValue { $0.append(b) } }
        let messages = try sent.withLockedValue { $0 }.map { try Response(serializedBytes: Array($0.readableBytesView)) }
        return Reply(status: status, messages: messages)
    }

    /// Delivers an event as the host does; the reply says whether it was a duplicate.
    func deliver<E: SwiftProtobuf.Message>(_ topic: String, _ event: E, eventID: Int64) async throws -> Reply<Xinyu_Plugin_V1_EventAck> {
        var delivery = Xinyu_Plugin_V1_EventDelivery()
        delivery.eventID = eventID
        delivery.topic = topic
        delivery.publisher = "crisis"
        delivery.recordedAtMs = Int64(clock.now().timeIntervalSince1970 * 1000)
        delivery.payload = try event.serializedData()
        delivery.actorID = "plugin:crisis"
        let sent = NIOLockedValueBox<[ByteBuffer]>([])
        var start = Xinyu_Wire_V1_CallStart()
        start.method = ServiceDispatcher.deliverMethod
        let status = await dispatcher.dispatch(method: start.method, request: try ProtobufCoding.encode(delivery), start: start,
                                               principal: .host, deadline: nil) { b in sent.withLockedValue { $0.append(b) } }
        let messages = try sent.withLockedValue { $0 }.map { try Xinyu_Plugin_V1_EventAck(serializedBytes: Array($0.readableBytesView)) }
        return Reply(status: status, messages: messages)
    }

    func count(_ table: String, _ condition: String = "1") throws -> Int {
        try database.readSync { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE \(condition)") ?? 0 }
    }

    /// Topics recorded in the outbox, in order.
    func topics() throws -> [String] {
        try database.readSync { db in try String.fetchAll(db, sql: "SELECT topic FROM xinyu_outbox ORDER BY id") }
    }

    /// The directory id of a student's guardian by relation.
    func guardianID(_ student: String, _ relation: String) throws -> Int64 {
        try database.readSync { db in try DirectoryReader().guardians(ofStudent: student, in: db).first { $0.relation == relation }!.id }
    }
}

/// A level change crisis publishes.
func levelChanged(_ student: String, from: Int32 = 0, to: Int32) -> Xinyu_Events_V1_LevelChanged {
    var e = Xinyu_Events_V1_LevelChanged()
    e.studentID = student
    e.schoolID = "A"
    e.fromLevel = from
    e.toLevel = to
    e.reason = "普测"
    e.changedBy = "plugin:crisis"
    return e
}
