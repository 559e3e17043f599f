import Foundation
import GRDB
import Testing
import XinyuDirectory
import XinyuPluginSDK
import XinyuTrainingAPI
import XinyuTrainingCore

/// BuildGrid, ReassignStudent, ListGrid and CheckGrid against the real directory in-process.
@Suite("Heart grid handlers")
struct GridTests {
    /// School A: classes C1 (12) and C2 (8), mentors M1, M2 (and M9 at school B), students S01–S20.
    func harness() throws -> TrainingHarness {
        let h = try TrainingHarness()
        try h.seed { db in
            try DirectorySeed.school(db, id: "A", name: "宁波市第一中学", district: "海曙区", kind: "junior")
            try DirectorySeed.school(db, id: "B", name: "宁波市第二中学", district: "江北区", kind: "junior")
            try DirectorySeed.staff(db, id: "M1", name: "王老师", schoolID: "A", roles: ["mentor"])
            try DirectorySeed.staff(db, id: "M2", name: "赵老师", schoolID: "A", roles: ["mentor", "class_teacher"])
            try DirectorySeed.staff(db, id: "T1", name: "钱老师", schoolID: "A")
            try DirectorySeed.staff(db, id: "M9", name: "孙老师", schoolID: "B", roles: ["mentor"])
            try DirectorySeed.schoolClass(db, id: "C1", schoolID: "A", grade: 8, name: "1班", homeroomTeacherID: nil)
            try DirectorySeed.schoolClass(db, id: "C2", schoolID: "A", grade: 8, name: "2班", homeroomTeacherID: nil)
            for n in 1...20 {
                try DirectorySeed.student(db, id: String(format: "S%02d", n), name: "学生\(n)", gender: "male", birthDate: "2012-01-01",
                                          schoolID: "A", classID: n <= 12 ? "C1" : "C2")
            }
        }
        return h
    }

    /// School A's grid as the directory holds it (student → mentor), read through the SDK as any
    /// plugin reads it: no test outside the directory touches its tables.
    func members(_ h: TrainingHarness) throws -> [String: String] {
        try h.database.readSync { db in
            Dictionary(try DirectoryReader().gridMemberships(ofSchool: "A", in: db).map { ($0.studentID, $0.mentorID) },
                       uniquingKeysWith: { a, _ in a })
        }
    }

    func build(_ h: TrainingHarness) async throws -> Reply<Xinyu_Training_V1_GridBuildReport> {
        try await h.call("BuildGrid", Xinyu_Training_V1_BuildGridRequest.with { $0.schoolID = "A"; $0.reason = "新学期" }, as: Xinyu_Training_V1_GridBuildReport.self)
    }

    @Test("BuildGrid writes the plan into the directory's grids, classes together; a rebuild moves nobody")
    func buildWritesDirectory() async throws {
        let h = try harness()
        let report = try await build(h)
        #expect(report.code == .ok, "\(report.message)")
        #expect(report.value.newlyAssigned == 20 && report.value.mentors == 2)
        let grid = try members(h)
        #expect(grid.count == 20)
        #expect(Set((1...12).map { grid[String(format: "S%02d", $0)]! }).count == 1, "class C1 (12) in one grid")
        #expect(Set((13...20).map { grid[String(format: "S%02d", $0)]! }).count == 1, "class C2 (8) in one grid")
        let again = try await build(h)
        #expect(again.value.moved == 0 && again.value.kept == 20 && again.value.newlyAssigned == 0)
        #expect(try members(h) == grid)
        #expect(try h.count("training_grid_changes", "kind = 'build'") == 2)
    }

    @Test("a rebuild after adding 10 students and a mentor moves nobody and places the new class together")
    func rebuildAfterRosterChange() async throws {
        let h = try harness()
        _ = try await build(h)
        let before = try members(h)
        try h.seed { db in
            try DirectorySeed.staff(db, id: "M3", name: "周老师", schoolID: "A", roles: ["mentor"])
            try DirectorySeed.schoolClass(db, id: "C3", schoolID: "A", grade: 7, name: "3班", homeroomTeacherID: nil)
            for n in 21...30 {
                try DirectorySeed.student(db, id: "S\(n)", name: "学生\(n)", gender: "female", birthDate: "2013-01-01", schoolID: "A", classID: "C3")
            }
        }
        let report = try await build(h)
        #expect(report.code == .ok, "\(report.message)")
        #expect(report.value.moved == 0 && report.value.kept == 20 && report.value.newlyAssigned == 10 && report.value.unassigned == 0)
        let after = try members(h)
        #expect(before.allSatisfy { after[$0.key] == $0.value })
        #expect(Set((21...30).map { after["S\($0)"]! }).count == 1)
    }

    @Test("ReassignStudent moves one student with a reason; a mentor of another school is refused")
    func reassign() async throws {
        let h = try harness()
        _ = try await build(h)
        let before = try members(h)
        let other = before["S01"] == "M1" ? "M2" : "M1"
        let moved = try await h.call("ReassignStudent", Xinyu_Training_V1_ReassignStudentRequest.with { $0.studentID = "S01"; $0.mentorID = other; $0.reason = "家校距离更近" },
                                     as: Xinyu_Training_V1_GridBuildReport.self)
        #expect(moved.code == .ok && moved.value.moved == 1, "\(moved.message)")
        var expected = before
        expected["S01"] = other
        #expect(try members(h) == expected)
        let foreign = try await h.call("ReassignStudent", Xinyu_Training_V1_ReassignStudentRequest.with { $0.studentID = "S02"; $0.mentorID = "M9"; $0.reason = "x" },
                                       as: Xinyu_Training_V1_GridBuildReport.self)
        #expect(foreign.code == .invalidArgument && foreign.message.contains("mentor_id"))
        let noReason = try await h.call("ReassignStudent", Xinyu_Training_V1_ReassignStudentRequest.with { $0.studentID = "S02"; $0.mentorID = other },
                                        as: Xinyu_Training_V1_GridBuildReport.self)
        #expect(noReason.code == .invalidArgument && noReason.message.contains("reason"))
        #expect(try members(h) == expected)
    }

    @Test("CheckGrid reports students without a mentor and mentors over the ratio")
    func checks() async throws {
        let h = try TrainingHarness(configuration: TrainingConfiguration(gridRatio: 15))
        try h.seed { db in
            try DirectorySeed.school(db, id: "A", name: "一中", district: "海曙区", kind: "junior")
            try DirectorySeed.staff(db, id: "M1", name: "王老师", schoolID: "A", roles: ["mentor"])
            try DirectorySeed.staff(db, id: "X1", name: "李老师", schoolID: "A")
            try DirectorySeed.schoolClass(db, id: "C1", schoolID: "A", grade: 8, name: "1班", homeroomTeacherID: nil)
            for n in 1...18 {
                try DirectorySeed.student(db, id: String(format: "S%02d", n), name: "学生\(n)", gender: "male", birthDate: "2012-01-01", schoolID: "A", classID: "C1")
            }
            for n in 1...16 { try DirectorySeed.gridMember(db, mentorID: "M1", studentID: String(format: "S%02d", n)) }
            try DirectorySeed.gridMember(db, mentorID: "X1", studentID: "S17")
        }
        let check = try await h.call("CheckGrid", Xinyu_Training_V1_CheckGridRequest.with { $0.schoolID = "A" }, as: Xinyu_Training_V1_GridCheck.self)
        #expect(check.code == .ok, "\(check.message)")
        #expect(check.value.overRatio.map(\.mentorID) == ["M1"] && check.value.overRatio.first?.students == 16)
        #expect(check.value.studentsWithoutMentor == ["S18"])
        #expect(check.value.foreignMentors == ["X1"])
    }

    @Test("ListGrid: a mentor sees their own grid and is refused another")
    func listScope() async throws {
        let h = try harness()
        _ = try await build(h)
        let grid = try members(h)
        let m1 = Principal(id: "staff:M1", kind: .person, roles: ["mentor"], permissions: ["training.read"], scopes: [DataScope(kind: "grid", ids: ["M1"])])
        let own = try await h.call("ListGrid", Xinyu_Training_V1_ListGridRequest.with { $0.mentorID = "M1" }, as: Xinyu_Training_V1_ListGridResponse.self, principal: m1)
        #expect(own.code == .ok && own.value.studentIds == grid.filter { $0.value == "M1" }.keys.sorted())
        let other = try await h.call("ListGrid", Xinyu_Training_V1_ListGridRequest.with { $0.mentorID = "M2" }, as: Xinyu_Training_V1_ListGridResponse.self, principal: m1)
        #expect(other.code == .permissionDenied && other.value.studentIds.isEmpty)
    }
}
