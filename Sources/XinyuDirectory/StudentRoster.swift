import XinyuPluginSDK
import GRDB
import XinyuCoreAPI

/// Students files. Headers (any one per field; case, spaces, '_' and '-' ignored):
/// - `student_id` / `id` / 学籍号 / 学号 / 学生编号: required (when a file has both 学籍号 and 学号,
///   学籍号 is the id: it is the one unique city-wide)
/// - `name` / `student_name` / 姓名 / 学生姓名: required
/// - `gender` / `sex` / 性别: required; 男/女, male/female, m/f
/// - `birth_date` / `birthday` / `date_of_birth` / `dob` / 出生日期 / 生日: required; 2011-04-23,
///   2011-4-23, 2011/4/23, 2011.4.23, 2011年4月23日 or 20110423
/// - `school_id` / 学校代码 / 学校编号: required, an existing school
/// - `class_id` / 班级代码 / 班级编号: required, an existing class of that school
/// - `national_student_id` / 全国学籍号 / 国家学籍号: optional, the national student number; no
///   other student may have it. Without the column, existing students keep theirs.
///
/// Rows are matched to existing students by id.
enum StudentRoster: RosterFormat {
    static let kind = "students"
    static let noun = "student"
    static let columns = [
        RosterColumn("id", ["student_id", "id", "学籍号", "学号", "学生编号"]),
        RosterColumn("name", ["name", "student_name", "姓名", "学生姓名"]),
        RosterColumn("gender", ["gender", "sex", "性别"]),
        RosterColumn("birth_date", ["birth_date", "birthday", "date_of_birth", "dob", "出生日期", "生日"]),
        RosterColumn("school_id", ["school_id", "学校代码", "学校编号"], references: .school),
        RosterColumn("class_id", ["class_id", "班级代码", "班级编号"], references: .schoolClass),
        RosterColumn("national_student_id", ["national_student_id", "全国学籍号", "国家学籍号"], required: false, references: .nationalStudentID),
    ]

    static func record(from values: RosterValues, today: CalendarDay) -> (Xinyu_Directory_V1_Student, [FieldProblem]) {
        var problems: [FieldProblem] = []
        var student = Xinyu_Directory_V1_Student()
        student.id = values["id"]
        student.name = values["name"]
        let gender = values["gender"]
        if !gender.isEmpty {
            if let parsed = Xinyu_Directory_V1_Gender.spreadsheet(gender) {
                student.gender = parsed
            } else {
                problems.add("gender", "'\(gender)' is not a gender (use \(Xinyu_Directory_V1_Gender.spreadsheetHint))")
            }
        }
        student.birthDate = BirthDateRule.normalise(values["birth_date"], today: today).value(or: "", field: "birth_date", into: &problems)
        student.schoolID = values["school_id"]
        student.classID = values["class_id"]
        student.nationalStudentID = values["national_student_id"]
        problems.merge(StudentRules.normalise(&student, today: today))
        return (student, problems)
    }

    static func referenceProblems(_ student: Xinyu_Directory_V1_Student, _ lookup: RosterSnapshot, skipping: Set<String>) throws -> [FieldProblem] {
        try StudentRules.referenceProblems(student, lookup, skipping: skipping)
    }

    static func identity(_ student: Xinyu_Directory_V1_Student) -> (fields: [String], key: String, label: String) {
        (["id"], student.id, "student \(student.id)")
    }

    static func move(_ db: Database, _ student: Xinyu_Directory_V1_Student) throws -> StudentMove? {
        guard let row = try Row.fetchOne(db, sql: "SELECT school_id, class_id FROM directory_students WHERE id = ?", arguments: [student.id]) else { return nil }
        return StudentMove(studentID: student.id, fromSchool: row[0], fromClass: row[1], to: student)
    }

    static func save(_ db: Database, _ student: Xinyu_Directory_V1_Student, now: Int64, keeping: Set<String>) throws {
        try StudentTable.save(db, student, now: now, keepingNationalID: keeping.contains("national_student_id"))
    }
}
