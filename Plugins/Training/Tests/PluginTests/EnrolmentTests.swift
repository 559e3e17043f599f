import Foundation
import GRDB
import Testing
import XinyuDirectory
import XinyuPluginSDK
import XinyuTrainingAPI

/// Seats, the waitlist, attendance, completion and the one certificate.
@Suite("Enrolment, waitlist and completion")
struct EnrolmentTests {
    /// A school with `staff` teachers T01…, a C-certificate course and a session of `capacity` seats.
    func setUp(staff: Int, capacity: Int32, kind: Xinyu_Training_V1_CourseKind = .cCertificate) async throws -> (TrainingHarness, Int64) {
        let h = try TrainingHarness()
        try h.seed { db in
            try DirectorySeed.school(db, id: "A", name: "宁波市第一中学", district: "海曙区", kind: "junior")
            for n in 1...staff { try DirectorySeed.staff(db, id: String(format: "T%02d", n), name: "老师\(n)", schoolID: "A") }
        }
        let course = try await h.call("CreateCourse", Xinyu_Training_V1_CreateCourseRequest.with { $0.kind = kind; $0.title = "C证培训 2026 第一批" },
                                      as: Xinyu_Training_V1_Course.self)
        #expect(course.code == .ok, "\(course.message)")
        let session = try await h.call("CreateSession", Xinyu_Training_V1_CreateSessionRequest.with {
            $0.courseID = course.value.id; $0.startsOn = "2026-03-02"; $0.endsOn = "2026-03-04"; $0.capacity = capacity; $0.hours = 24
            $0.place = "宁波市教育学院"; $0.trainer = "李教授"
        }, as: Xinyu_Training_V1_Session.self)
        #expect(session.code == .ok, "\(session.message)")
        return (h, session.value.id)
    }

    func enrol(_ h: TrainingHarness, _ session: Int64, _ staff: String) async throws -> Reply<Xinyu_Training_V1_Enrolment> {
        try await h.call("Enrol", Xinyu_Training_V1_EnrolRequest.with { $0.sessionID = session; $0.staffID = staff }, as: Xinyu_Training_V1_Enrolment.self)
    }

    @Test("a class teacher (class scope) enrols themself, but not a colleague")
    func classTeacherEnrolsThemself() async throws {
        let (h, session) = try await setUp(staff: 2, capacity: 5)
        let classTeacher = Principal(id: "staff:T01", kind: .person, roles: ["class_teacher"], permissions: ["training.read", "training.enrol"],
                                     scopes: [DataScope(kind: "class", ids: ["A-101"])])
        let own = try await h.call("Enrol", Xinyu_Training_V1_EnrolRequest.with { $0.sessionID = session; $0.staffID = "T01" },
                                   as: Xinyu_Training_V1_Enrolment.self, principal: classTeacher)
        #expect(own.code == .ok && own.value.status == .enrolled, "\(own.message)")
        let colleague = try await h.call("Enrol", Xinyu_Training_V1_EnrolRequest.with { $0.sessionID = session; $0.staffID = "T02" },
                                         as: Xinyu_Training_V1_Enrolment.self, principal: classTeacher)
        #expect(colleague.code == .notFound, "outside the class scope, as if absent")
    }

    @Test("50 concurrent enrolments into 20 seats: exactly 20 enrolled, 30 waitlisted in order")
    func concurrentEnrolment() async throws {
        let (h, session) = try await setUp(staff: 50, capacity: 20)
        let replies = try await withThrowingTaskGroup(of: Reply<Xinyu_Training_V1_Enrolment>.self) { group in
            for n in 1...50 { group.addTask { try await enrol(h, session, String(format: "T%02d", n)) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(replies.allSatisfy { $0.code == .ok })
        #expect(replies.filter { $0.value.status == .enrolled }.count == 20)
        #expect(replies.filter { $0.value.status == .waitlisted }.count == 30)
        #expect(try h.count("training_enrolments", "status = 'enrolled'") == 20)
        let positions = replies.map(\.value.waitlistPosition).filter { $0 > 0 }.sorted()
        #expect(positions == Array(1...30).map(Int32.init))
    }

    @Test("withdrawing a seat moves the first waitlisted person up; withdrawing a waitlist place moves nobody")
    func waitlistMovesUp() async throws {
        let (h, session) = try await setUp(staff: 4, capacity: 2)
        for staff in ["T01", "T02", "T03", "T04"] { _ = try await enrol(h, session, staff) }
        let withdrawn = try await h.call("Withdraw", Xinyu_Training_V1_WithdrawRequest.with { $0.sessionID = session; $0.staffID = "T01" },
                                         as: Xinyu_Training_V1_WithdrawResponse.self)
        #expect(withdrawn.code == .ok, "\(withdrawn.message)")
        #expect(withdrawn.value.withdrawn.status == .withdrawn)
        #expect(withdrawn.value.promoted.staffID == "T03" && withdrawn.value.promoted.status == .enrolled)
        let t4 = try await enrol(h, session, "T04")
        #expect(t4.value.status == .waitlisted && t4.value.waitlistPosition == 1)
        let again = try await h.call("Withdraw", Xinyu_Training_V1_WithdrawRequest.with { $0.sessionID = session; $0.staffID = "T04" },
                                     as: Xinyu_Training_V1_WithdrawResponse.self)
        #expect(!again.value.hasPromoted)
        #expect(try h.count("training_enrolments", "status = 'enrolled'") == 2)
        let twice = try await h.call("Withdraw", Xinyu_Training_V1_WithdrawRequest.with { $0.sessionID = session; $0.staffID = "T04" },
                                     as: Xinyu_Training_V1_WithdrawResponse.self)
        #expect(twice.code == .failedPrecondition)
    }

    @Test("completion issues exactly one certificate, also on a retry with the same key and with a new key")
    func completionIssuesOneCertificate() async throws {
        let (h, session) = try await setUp(staff: 2, capacity: 5)
        _ = try await enrol(h, session, "T01")
        let early = try await h.call("Complete", Xinyu_Training_V1_CompleteRequest.with { $0.sessionID = session; $0.staffID = "T01" },
                                     as: Xinyu_Training_V1_Completion.self)
        #expect(early.code == .failedPrecondition && early.message.contains("attendance"))
        let attended = try await h.call("RecordAttendance", Xinyu_Training_V1_RecordAttendanceRequest.with {
            $0.sessionID = session; $0.day = "2026-03-02"; $0.staffIds = ["T01"]
        }, as: Xinyu_Training_V1_RecordAttendanceResponse.self)
        #expect(attended.value.recorded == 1)
        let stranger = try await h.call("RecordAttendance", Xinyu_Training_V1_RecordAttendanceRequest.with {
            $0.sessionID = session; $0.day = "2026-03-02"; $0.staffIds = ["T01", "T02"]
        }, as: Xinyu_Training_V1_RecordAttendanceResponse.self)
        #expect(stranger.code == .failedPrecondition && stranger.message.contains("staff_ids[1]"))
        let request = Xinyu_Training_V1_CompleteRequest.with { $0.sessionID = session; $0.staffID = "T01" }
        let first = try await h.call("Complete", request, as: Xinyu_Training_V1_Completion.self, key: "complete-T01")
        #expect(first.code == .ok, "\(first.message)")
        #expect(first.value.certificate.level == .c && first.value.certificate.issuedOn == "2026-03-02")
        #expect(first.value.certificate.expiresOn == "2031-03-01" && first.value.hours == 24)
        let retry = try await h.call("Complete", request, as: Xinyu_Training_V1_Completion.self, key: "complete-T01")
        #expect(retry.value == first.value)
        let otherKey = try await h.call("Complete", request, as: Xinyu_Training_V1_Completion.self, key: "complete-T01-again")
        #expect(otherKey.value.certificate.number == first.value.certificate.number)
        #expect(try h.count("training_certificates") == 1)
        #expect(try h.count("training_completions") == 1)
    }

    @Test("a course that does not certify completes without a certificate")
    func nonCertifyingCourse() async throws {
        let (h, session) = try await setUp(staff: 1, capacity: 5, kind: .crisisIntervention)
        _ = try await enrol(h, session, "T01")
        _ = try await h.call("RecordAttendance", Xinyu_Training_V1_RecordAttendanceRequest.with {
            $0.sessionID = session; $0.day = "2026-03-03"; $0.staffIds = ["T01"]
        }, as: Xinyu_Training_V1_RecordAttendanceResponse.self)
        let done = try await h.call("Complete", Xinyu_Training_V1_CompleteRequest.with { $0.sessionID = session; $0.staffID = "T01" },
                                    as: Xinyu_Training_V1_Completion.self)
        #expect(done.code == .ok && !done.value.hasCertificate && done.value.enrolment.status == .completed)
        #expect(try h.count("training_certificates") == 0)
    }

    @Test("bad requests name the field and change nothing")
    func badRequests() async throws {
        let (h, session) = try await setUp(staff: 1, capacity: 5)
        let noCapacity = try await h.call("CreateSession", Xinyu_Training_V1_CreateSessionRequest.with { $0.courseID = 1; $0.startsOn = "2026-03-02"; $0.hours = 2 },
                                          as: Xinyu_Training_V1_Session.self)
        #expect(noCapacity.code == .invalidArgument && noCapacity.message.contains("capacity"))
        let unknown = try await enrol(h, session, "T99")
        #expect(unknown.code == .notFound && unknown.message.contains("staff_id"))
        let noKind = try await h.call("CreateCourse", Xinyu_Training_V1_CreateCourseRequest.with { $0.title = "x" }, as: Xinyu_Training_V1_Course.self)
        #expect(noKind.code == .invalidArgument && noKind.message.contains("kind"))
        #expect(try h.count("training_enrolments") == 0)
    }
}
