import Testing
import XinyuCSV

@Suite("Column lookup")
struct CSVColumnTests {
    static let table = try! read("Student ID, 姓名\u{3000},grade-level,Name\n")

    @Test("Names match ignoring case, surrounding space, _ - and space", arguments: [
        ("student_id", 0), ("Student ID", 0), ("STUDENT-ID", 0), ("  studentid ", 0),
        ("姓名", 1), ("Grade Level", 2), ("grade_level", 2), ("name", 3),
    ])
    func matches(name: String, index: Int) {
        #expect(Self.table.column(name) == index)
    }

    @Test("Other names do not match", arguments: ["student", "id", "", "名", "gradelevels"])
    func misses(name: String) {
        #expect(Self.table.column(name) == nil)
    }

    @Test func headerNamesAreTrimmed() {
        #expect(Self.table.header == ["Student ID", "姓名", "grade-level", "Name"])
    }
}
