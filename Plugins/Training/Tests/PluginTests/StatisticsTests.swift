import Foundation
import GRDB
import Testing
import XinyuDirectory
import XinyuPluginSDK
import XinyuTrainingAPI

/// GetStatistics, ListCertificateGaps and the activity statistics on a small known roster.
@Suite("Coverage statistics and activities")
struct StatisticsTests {
    /// School A: T1, T2 class teachers, P1 full-time psych teacher, M1 mentor with 3 of 4 students.
    /// School B: U1, no psych teacher. Certificates: T1 B (valid), T2 C (expires in 30 days), P1 C (expired).
    func harness() throws -> TrainingHarness {
        let h = try TrainingHarness()
        try h.seed { db in
            try DirectorySeed.school(db, id: "A", name: "一中", district: "海曙区", kind: "junior")
            try DirectorySeed.school(db, id: "B", name: "二中", district: "江北区", kind: "junior")
            try DirectorySeed.staff(db, id: "T1", name: "甲", schoolID: "A", roles: ["class_teacher"])
            try DirectorySeed.staff(db, id: "T2", name: "乙", schoolID: "A", roles: ["class_teacher"])
            try DirectorySeed.staff(db, id: "P1", name: "丙", schoolID: "A", roles: ["psych_teacher_full_time"])
            try DirectorySeed.staff(db, id: "M1", name: "丁", schoolID: "A", roles: ["mentor"])
            try DirectorySeed.staff(db, id: "U1", name: "戊", schoolID: "B")
            try DirectorySeed.schoolClass(db, id: "C1", schoolID: "A", grade: 8, name: "1班", homeroomTeacherID: "T1")
            for n in 1...4 { try DirectorySeed.student(db, id: "S\(n)", name: "学生", gender: "male", birthDate: "2012-01-01", schoolID: "A", classID: "C1") }
            for n in 1...3 { try DirectorySeed.gridMember(db, mentorID: "M1", studentID: "S\(n)") }
            for (number, staff, level, issued, expires) in [("N1", "T1", "B", "2024-01-01", ""), ("N2", "T2", "C", "2021-04-01", "2026-04-01"),
                                                           ("N3", "P1", "C", "2020-01-01", "2025-01-01")] {
                try db.execute(sql: """
                    INSERT INTO training_certificates (number, staff_id, level, issued_on, expires_on, recorded_by, recorded_at_ms) VALUES (?, ?, ?, ?, ?, 'test', 0)
                    """, arguments: [number, staff, level, issued, expires])
            }
        }
        return h
    }

    @Test("figures per school and for the city, the schools without a psych teacher, the assessment figure")
    func figures() async throws {
        let h = try harness()
        let reply = try await h.call("GetStatistics", Xinyu_Training_V1_GetStatisticsRequest(), as: Xinyu_Training_V1_Statistics.self)
        #expect(reply.code == .ok, "\(reply.message)")
        let a = try #require(reply.value.schools.first { $0.schoolID == "A" })
        #expect(a.teachers == 4 && a.teachersWithC == 2 && a.cShare == 0.5)
        #expect(a.classTeachers == 2 && a.classTeachersWithB == 1 && a.bShare == 0.5)
        #expect(abs(a.assessmentScore - 10 * 0.5 / 0.6) < 1e-9)
        #expect(a.fullTimePsychTeachers == 1 && a.students == 4 && a.studentsWithMentor == 3 && a.gridCoverage == 0.75 && a.maxMentorLoad == 3)
        #expect(reply.value.schoolsWithoutPsychTeacher == ["B"])
        #expect(reply.value.city.schools == 2 && reply.value.city.teachers == 5 && reply.value.city.teachersWithC == 2 && reply.value.city.schoolsWithPsychTeacher == 1)
        // A principal of school B sees school B only.
        let principal = Principal(id: "staff:U1", kind: .person, permissions: ["training.stats.read"], scopes: [DataScope(kind: "school", ids: ["B"])])
        let scoped = try await h.call("GetStatistics", Xinyu_Training_V1_GetStatisticsRequest(), as: Xinyu_Training_V1_Statistics.self, principal: principal)
        #expect(scoped.value.schools.map(\.schoolID) == ["B"])
        let other = try await h.call("GetStatistics", Xinyu_Training_V1_GetStatisticsRequest.with { $0.schoolID = "A" }, as: Xinyu_Training_V1_Statistics.self, principal: principal)
        #expect(other.code == .notFound)
    }

    @Test("who lacks a certificate and whose expires within 90 days")
    func gaps() async throws {
        let h = try harness()
        let reply = try await h.call("ListCertificateGaps", Xinyu_Training_V1_ListCertificateGapsRequest.with { $0.schoolID = "A" },
                                     as: Xinyu_Training_V1_ListCertificateGapsResponse.self)
        #expect(reply.code == .ok, "\(reply.message)")
        #expect(reply.value.lackingC == ["M1", "P1"])
        #expect(reply.value.classTeachersLackingB == ["T2"])
        #expect(reply.value.expiring.map(\.number) == ["N2"])
    }

    @Test("activities by kind in the term; months with fewer than two public-account articles are flagged")
    func activities() async throws {
        let h = try harness()
        for (school, kind, day) in [("A", Xinyu_Training_V1_ActivityKind.psychologyLesson, "2026-02-20"), ("A", .psychologyLesson, "2026-03-01"),
                                    ("", .publicAccountArticle, "2026-02-03"), ("", .publicAccountArticle, "2026-02-17"), ("", .publicAccountArticle, "2026-03-01")] {
            let r = try await h.call("RecordActivity", Xinyu_Training_V1_RecordActivityRequest.with {
                $0.schoolID = school; $0.kind = kind; $0.title = "心理课"; $0.heldOn = day; $0.audience = .students; $0.participants = 40
            }, as: Xinyu_Training_V1_Activity.self)
            #expect(r.code == .ok && r.value.term == "2025-2026-2", "\(r.message)")
        }
        let noSchool = try await h.call("RecordActivity", Xinyu_Training_V1_RecordActivityRequest.with {
            $0.kind = .lecture; $0.title = "讲座"; $0.heldOn = "2026-03-01"; $0.audience = .parents
        }, as: Xinyu_Training_V1_Activity.self)
        #expect(noSchool.code == .invalidArgument && noSchool.message.contains("school_id"))
        let stats = try await h.call("GetActivityStatistics", Xinyu_Training_V1_GetActivityStatisticsRequest(), as: Xinyu_Training_V1_ActivityStatistics.self)
        #expect(stats.value.term == "2025-2026-2")
        #expect(stats.value.byKind.first { $0.kind == .psychologyLesson }?.activities == 2)
        #expect(stats.value.byKind.first { $0.kind == .psychologyLesson }?.participants == 80)
        #expect(stats.value.thinArticleMonths == ["2026-03"])
    }
}
