import Foundation
import SwiftProtobuf
import Testing
import XinyuClient
import XinyuCoreAPI
import XinyuCrisisAPI
import XinyuRPC
import XinyuTrainingAPI
import XinyuWire

/// The training plugin as a real process behind the real host: concurrent enrolment from many
/// clients, completion retried with the same idempotency key, the heart grid written through the
/// directory's SetGrid and read back by grid data scopes, a mentor's concern reaching crisis.
@Suite("Training through the real host", .serialized)
struct TrainingEndToEndTests {
    static let method = "xinyu.training.v1.Training/"

    /// Imports rosters through the directory as the e2e tester.
    func importRosters(_ client: XinyuClient, _ rosters: [(Xinyu_Directory_V1_RosterKind, String)]) async throws {
        for (kind, csv) in rosters {
            var request = Xinyu_Directory_V1_ImportRosterRequest()
            request.kind = kind
            request.csv = Data(csv.utf8)
            var imported: Int64 = -1
            for try await event in try client.stream("xinyu.directory.v1.Directory/ImportRoster", request, as: Xinyu_Directory_V1_ImportRosterEvent.self) {
                if case .report(let r)? = event.event { imported = r.imported; #expect(r.errors.isEmpty, "\(r.errors)") }
            }
            #expect(imported > 0, "\(kind) imported")
        }
    }

    /// A principal holding every training permission with a city scope.
    func trainingClient(_ host: RunningHost) async throws -> XinyuClient {
        try await host.addRole("training_admin_e2e", permissions: ["training.*", "directory.read"])
        let token = try await host.createPrincipal("staff:G001", roles: ["training_admin_e2e"], scopes: [("city", [])])
        return try await host.client(token: token)
    }

    func call<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ client: XinyuClient, _ name: String, _ request: Request, as: Response.Type, key: String? = nil
    ) async throws -> Response {
        try await client.call(Self.method + name, request, as: Response.self, options: CallOptions(timeout: .seconds(30), idempotencyKey: key))
    }

    @Test("50 concurrent enrolments from 10 clients into 20 seats: exactly 20 enrolled and 30 waitlisted; completion issues one certificate, also on a retry")
    func concurrentEnrolmentAndCompletion() async throws {
        let host = try await RunningHost(plugins: ["training"])
        let tester = try await host.client()
        let staff = (1...50).map { String(format: "T%02d,老师%d,NB-001", $0, $0) }.joined(separator: "\n")
        try await importRosters(tester, [
            (.schools, "school_id,name,district,kind\nNB-001,宁波市第一中学,海曙区,senior\n"),
            (.staff, "staff_id,name,school_id\n\(staff)\n"),
        ])
        let admin = try await trainingClient(host)
        let course = try await call(admin, "CreateCourse", Xinyu_Training_V1_CreateCourseRequest.with { $0.kind = .cCertificate; $0.title = "C证 2026 第一批" },
                                    as: Xinyu_Training_V1_Course.self, key: "course-1")
        let session = try await call(admin, "CreateSession", Xinyu_Training_V1_CreateSessionRequest.with {
            $0.courseID = course.id; $0.startsOn = "2026-03-02"; $0.endsOn = "2026-03-04"; $0.capacity = 20; $0.hours = 24
        }, as: Xinyu_Training_V1_Session.self, key: "session-1")
        var clients: [XinyuClient] = [admin]
        for _ in 1..<10 { clients.append(try await host.client(token: try await host.createPrincipal("staff:G\(clients.count + 100)", roles: ["training_admin_e2e"], scopes: [("city", [])]))) }
        let statuses = try await withThrowingTaskGroup(of: Xinyu_Training_V1_EnrolmentStatus.self) { group in
            for n in 1...50 {
                let client = clients[n % clients.count]
                group.addTask {
                    try await call(client, "Enrol", Xinyu_Training_V1_EnrolRequest.with { $0.sessionID = session.id; $0.staffID = String(format: "T%02d", n) },
                                   as: Xinyu_Training_V1_Enrolment.self, key: "enrol-\(n)").status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == .enrolled }.count == 20)
        #expect(statuses.filter { $0 == .waitlisted }.count == 30)
        let listed = try await call(admin, "ListEnrolments", Xinyu_Training_V1_ListEnrolmentsRequest.with { $0.sessionID = session.id; $0.status = .enrolled },
                                    as: Xinyu_Training_V1_ListEnrolmentsResponse.self)
        #expect(listed.enrolments.count == 20)

        let seated = listed.enrolments[0].staffID
        _ = try await call(admin, "RecordAttendance", Xinyu_Training_V1_RecordAttendanceRequest.with {
            $0.sessionID = session.id; $0.day = "2026-03-02"; $0.staffIds = [seated]
        }, as: Xinyu_Training_V1_RecordAttendanceResponse.self, key: "attend-1")
        let complete = Xinyu_Training_V1_CompleteRequest.with { $0.sessionID = session.id; $0.staffID = seated }
        let first = try await call(admin, "Complete", complete, as: Xinyu_Training_V1_Completion.self, key: "complete-1")
        let retry = try await call(admin, "Complete", complete, as: Xinyu_Training_V1_Completion.self, key: "complete-1")
        #expect(first.certificate.level == .c && !first.certificate.number.isEmpty)
        #expect(retry == first)
        let certificates = try await call(admin, "ListCertificates", Xinyu_Training_V1_ListCertificatesRequest.with { $0.schoolID = "NB-001" },
                                          as: Xinyu_Training_V1_ListCertificatesResponse.self)
        #expect(certificates.certificates.map(\.number) == [first.certificate.number])
        for client in clients { await client.close() }
        await tester.close()
        _ = try await host.stop()
    }

    @Test("the grid is written through the directory; a mentor lists their own grid, not another; their concern reaches crisis")
    func gridScopeAndConcern() async throws {
        let host = try await RunningHost(plugins: ["crisis", "training"])
        let tester = try await host.client()
        let students = (1...20).map { String(format: "S%02d,学生%d,%@,2010-01-01,NB-001,%@", $0, $0, $0 % 2 == 0 ? "女" : "男", $0 <= 12 ? "C-8-1" : "C-8-2") }
        try await importRosters(tester, [
            (.schools, "school_id,name,district,kind\nNB-001,宁波市第一中学,海曙区,junior\n"),
            (.staff, "staff_id,name,school_id,roles\nM1,王老师,NB-001,mentor\nM2,赵老师,NB-001,mentor\n"),
            (.classes, "class_id,school_id,grade,name\nC-8-1,NB-001,8,1班\nC-8-2,NB-001,8,2班\n"),
            (.students, "学籍号,姓名,性别,出生日期,学校代码,班级代码\n\(students.joined(separator: "\n"))\n"),
        ])
        let admin = try await trainingClient(host)
        let report = try await call(admin, "BuildGrid", Xinyu_Training_V1_BuildGridRequest.with { $0.schoolID = "NB-001"; $0.reason = "新学期建网格" },
                                    as: Xinyu_Training_V1_GridBuildReport.self, key: "grid-1")
        #expect(report.newlyAssigned == 20 && report.unassigned == 0 && report.moved == 0)
        // The directory holds the membership: its GetGrid shows what the plan wrote.
        let m1 = try await tester.call("xinyu.directory.v1.Directory/GetGrid", Xinyu_Directory_V1_GetGridRequest.with { $0.mentorID = "M1" },
                                       as: Xinyu_Directory_V1_Grid.self)
        let m2 = try await tester.call("xinyu.directory.v1.Directory/GetGrid", Xinyu_Directory_V1_GetGridRequest.with { $0.mentorID = "M2" },
                                       as: Xinyu_Directory_V1_Grid.self)
        #expect(m1.studentIds.count + m2.studentIds.count == 20 && Set(m1.studentIds).isDisjoint(with: m2.studentIds))
        #expect(m1.studentIds.count <= 15 && m2.studentIds.count <= 15)
        let again = try await call(admin, "BuildGrid", Xinyu_Training_V1_BuildGridRequest.with { $0.schoolID = "NB-001"; $0.reason = "复核" },
                                   as: Xinyu_Training_V1_GridBuildReport.self, key: "grid-2")
        #expect(again.moved == 0 && again.kept == 20)

        let mentor = try await host.client(token: try await host.createPrincipal("staff:M1", roles: ["mentor"], scopes: [("grid", ["M1"])]))
        let own = try await call(mentor, "ListGrid", Xinyu_Training_V1_ListGridRequest.with { $0.mentorID = "M1" }, as: Xinyu_Training_V1_ListGridResponse.self)
        #expect(own.studentIds == m1.studentIds)
        await #expect {
            _ = try await call(mentor, "ListGrid", Xinyu_Training_V1_ListGridRequest.with { $0.mentorID = "M2" }, as: Xinyu_Training_V1_ListGridResponse.self)
        } throws: { ($0 as? RPCError)?.code == .permissionDenied }

        // The mentor raises a concern about a student of their grid through crisis and sees its status.
        let concern = try await mentor.call("xinyu.crisis.v1.Crisis/RaiseConcern", Xinyu_Crisis_V1_RaiseConcernRequest.with {
            $0.studentID = own.studentIds[0]; $0.description_p = "最近情绪低落，上课走神"
        }, as: Xinyu_Crisis_V1_Concern.self, options: CallOptions(idempotencyKey: "concern-1"))
        #expect(concern.status == .open && concern.studentID == own.studentIds[0])
        await #expect {
            _ = try await mentor.call("xinyu.crisis.v1.Crisis/RaiseConcern", Xinyu_Crisis_V1_RaiseConcernRequest.with {
                $0.studentID = m2.studentIds[0]; $0.description_p = "别的网格"
            }, as: Xinyu_Crisis_V1_Concern.self, options: CallOptions(idempotencyKey: "concern-2"))
        } throws: { ($0 as? RPCError)?.code == .notFound }
        let concerns = try await tester.call("xinyu.crisis.v1.Crisis/ListConcerns", Xinyu_Crisis_V1_ListConcernsRequest(), as: Xinyu_Crisis_V1_ListConcernsResponse.self)
        #expect(concerns.concerns.map(\.studentID) == [own.studentIds[0]])
        await mentor.close()
        await admin.close()
        await tester.close()
        _ = try await host.stop()
    }
}
