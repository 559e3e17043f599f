import Foundation
import GRDB
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SwiftProtobuf
import XinyuCrisis
import XinyuCrisisAPI
import XinyuCrisisCore
import XinyuDirectory
import XinyuPluginSDK
import XinyuRPC
import XinyuStore
import XinyuWire

/// Calls to other services answer as a host with no other plugin enabled (so a guardian-consent
/// referral checks the request's own consent fields, as without homeschool).
struct NoOtherServices: MethodCaller {
    func unary(method: String, request: ByteBuffer, options: CallOptions) async throws -> ByteBuffer {
        throw RPCError(.failedPrecondition, "tests enable no other plugin, so \(method) is unavailable")
    }
}

/// The end of one call: its status and decoded responses.
struct Reply<Response: SwiftProtobuf.Message> {
    let status: CallStatus
    let messages: [Response]
    var code: StatusCode { status.code }
    var message: String { status.message }
    var value: Response { messages.last ?? Response() }
    var subjects: [String] {
        status.trailers.first { $0.key == "xinyu-subjects" }.map { $0.value.split(separator: ",").map(String.init) } ?? []
    }
}

/// Psych staff at city level: every crisis permission.
let psych = Principal(id: "staff:P001", kind: .person, roles: ["psych_teacher"], permissions: Set([
    "crisis.screening.write", "crisis.screening.read", "crisis.level.read", "crisis.level.write", "crisis.concern.write",
    "crisis.concern.ack", "crisis.case.read", "crisis.case.write", "crisis.plan.approve", "crisis.notes.read",
    "crisis.notes.write", "crisis.referral.write", "crisis.referral.outcome", "crisis.leave.write", "crisis.export", "crisis.stats.read",
    "crisis.clinical.read",
]), scopes: [.city])

/// A growth-centre supervisor (学生成长指导中心) who approves plans, closures and removals.
let supervisor = Principal(id: "staff:G001", kind: .person, roles: ["growth_centre"], permissions: ["crisis.*"], scopes: [.city])

/// A class teacher (班主任) of class C1 only: reads cases and plans, raises concerns, no notes.
let classTeacher = Principal(id: "staff:T001", kind: .person, roles: ["class_teacher"],
                             permissions: ["crisis.case.read", "crisis.level.read", "crisis.concern.write"],
                             scopes: [DataScope(kind: "class", ids: ["C1"])])

/// The crisis plugin served in memory from a fresh database with a small directory, on a manual clock.
struct CrisisHarness {
    let database: SharedDatabase
    let dispatcher: ServiceDispatcher
    let clock: ManualClock
    /// 2024-10-08 09:00 in Ningbo (01:00 UTC).
    static let start = Date(timeIntervalSince1970: 1_728_349_200)

    init(configuration: CrisisConfiguration = .default) throws {
        database = try SharedDatabase.temporary()
        try database.migrateCore()
        try database.migrate(owner: DirectoryService.owner, DirectoryService().migrations)
        let plugin = CrisisPlugin(configuration: configuration)
        try database.migrate(owner: plugin.name, plugin.migrations)
        var registry = ServiceRegistry()
        plugin.register(&registry)
        clock = ManualClock(Self.start)
        dispatcher = ServiceDispatcher(owner: "crisis", registry: registry, database: database, caller: NoOtherServices(),
                                       logger: Logger(label: "test"), clock: clock)
        try seedDirectory()
    }

    /// Two schools, three classes, students S1–S4 (S1, S2 in C1; S3 in C2; S4 in school B), staff.
    func seedDirectory() throws {
        try database.writeSync { db in
            try DirectorySeed.school(db, id: "A", name: "宁波市第一中学", district: "海曙区", kind: "junior")
            try DirectorySeed.school(db, id: "B", name: "宁波市第二中学", district: "江北区", kind: "senior")
            for (id, name) in [("P001", "陈老师"), ("T001", "王老师"), ("T002", "赵老师")] {
                try DirectorySeed.staff(db, id: id, name: name, schoolID: "A")
            }
            try DirectorySeed.schoolClass(db, id: "C1", schoolID: "A", grade: 8, name: "1班", homeroomTeacherID: "T001")
            try DirectorySeed.schoolClass(db, id: "C2", schoolID: "A", grade: 8, name: "2班", homeroomTeacherID: "T002")
            try DirectorySeed.schoolClass(db, id: "C3", schoolID: "B", grade: 10, name: "1班", homeroomTeacherID: nil)
            let students = [("S1", "张伟", "male", "2010-04-23", "A", "C1"), ("S2", "李娜", "female", "2010-02-11", "A", "C1"),
                            ("S3", "王芳", "female", "2010-06-01", "A", "C2"), ("S4", "刘洋", "male", "2008-09-30", "B", "C3")]
            for (id, name, gender, birthDate, school, schoolClass) in students {
                try DirectorySeed.student(db, id: id, name: name, gender: gender, birthDate: birthDate, schoolID: school, classID: schoolClass)
            }
        }
    }

    func call<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: String, _ request: Request, as: Response.Type, principal: Principal = psych
    ) async throws -> Reply<Response> {
        let sent = NIOLockedValueBox<[ByteBuffer]>([])
        var start = Xinyu_Wire_V1_CallStart()
        start.method = "xinyu.crisis.v1.Crisis/\(method)"
        let status = await dispatcher.dispatch(method: start.method, request: try ProtobufCoding.encode(request), start: start,
                                               principal: principal, deadline: nil) { b in sent.withLockedValue { $0.append(b) } }
        let messages = try sent.withLockedValue { $0 }.map { try Response(serializedBytes: Array($0.readableBytesView)) }
        return Reply(status: status, messages: messages)
    }

    func count(_ table: String, _ condition: String = "1") throws -> Int {
        try database.readSync { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE \(condition)") ?? 0 }
    }

    /// Topics recorded in the outbox, in order.
    func topics() throws -> [String] {
        try database.readSync { db in try String.fetchAll(db, sql: "SELECT topic FROM xinyu_outbox ORDER BY id") }
    }
}

// MARK: Request builders

func phqA(_ student: String, _ answers: [Int32], extras: [String: Bool] = [:], round: String = "") -> Xinyu_Crisis_V1_ScreeningSubmission {
    var s = Xinyu_Crisis_V1_ScreeningSubmission()
    s.studentID = student
    s.instrumentID = "phq-a"
    s.answers = answers
    s.extras = extras
    s.roundID = round
    return s
}

extension CrisisHarness {
    @discardableResult
    func submit(_ submission: Xinyu_Crisis_V1_ScreeningSubmission, principal: Principal = psych) async throws -> Reply<Xinyu_Crisis_V1_SubmitScreeningResponse> {
        try await call("SubmitScreening", Xinyu_Crisis_V1_SubmitScreeningRequest.with { $0.submission = submission },
                       as: Xinyu_Crisis_V1_SubmitScreeningResponse.self, principal: principal)
    }

    /// Puts S1 at level 1 (PHQ-A item 9 = 2) and opens a case for it.
    func levelOneCase(_ student: String = "S1") async throws -> Xinyu_Crisis_V1_Case {
        try await submit(phqA(student, [1, 1, 1, 1, 1, 1, 1, 1, 2], extras: answeredExtras))
        let opened = try await call("OpenCase", Xinyu_Crisis_V1_OpenCaseRequest.with { $0.studentID = student; $0.reason = "普测一级预警" },
                                    as: Xinyu_Crisis_V1_Case.self)
        precondition(opened.code == .ok, opened.message)
        return opened.value
    }
}
