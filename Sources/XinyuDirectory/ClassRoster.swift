import XinyuPluginSDK
import GRDB
import XinyuCoreAPI

/// Classes files. Headers (any one per field; case, spaces, '_' and '-' ignored):
/// - `class_id` / `id` / 班级代码 / 班级编号: required
/// - `school_id` / 学校代码 / 学校编号: required, an existing school
/// - `grade` / 年级: required; 1–12, 7年级, 七年级, 初一…初三, 高一…高三
/// - `name` / `class_name` / 班级名称 / 班级 / 班名: required
/// - `homeroom_teacher_id` / 班主任工号 / 班主任编号: optional, existing staff of the same school
///
/// Rows are matched to existing classes by id.
enum ClassRoster: RosterFormat {
    static let kind = "classes"
    static let noun = "class"
    static let columns = [
        RosterColumn("id", ["class_id", "id", "班级代码", "班级编号"], references: .classMoves),
        RosterColumn("school_id", ["school_id", "学校代码", "学校编号"], references: .school),
        RosterColumn("grade", ["grade", "年级"]),
        RosterColumn("name", ["name", "class_name", "班级名称", "班级", "班名"]),
        RosterColumn("homeroom_teacher_id", ["homeroom_teacher_id", "班主任工号", "班主任编号"], required: false, references: .staff),
    ]

    static func record(from values: RosterValues, today: CalendarDay) -> (Xinyu_Directory_V1_SchoolClass, [FieldProblem]) {
        var problems: [FieldProblem] = []
        var schoolClass = Xinyu_Directory_V1_SchoolClass()
        schoolClass.id = values["id"]
        schoolClass.schoolID = values["school_id"]
        schoolClass.grade = RosterValueParsers.grade(values["grade"]).value(or: 0, field: "grade", into: &problems)
        schoolClass.name = values["name"]
        schoolClass.homeroomTeacherID = values["homeroom_teacher_id"]
        problems.merge(ClassRules.normalise(&schoolClass))
        return (schoolClass, problems)
    }

    static func referenceProblems(_ schoolClass: Xinyu_Directory_V1_SchoolClass, _ lookup: RosterSnapshot, skipping: Set<String>) throws -> [FieldProblem] {
        var problems = try ClassRules.referenceProblems(schoolClass, lookup, skipping: skipping)
        if !skipping.contains("id"), !skipping.contains("school_id"), let move = try ClassRules.moveProblem(schoolClass, lookup) {
            problems.merge([move])
        }
        return problems
    }

    static func identity(_ schoolClass: Xinyu_Directory_V1_SchoolClass) -> (fields: [String], key: String, label: String) {
        (["id"], schoolClass.id, "class \(schoolClass.id)")
    }

    static func save(_ db: Database, _ schoolClass: Xinyu_Directory_V1_SchoolClass, now: Int64, keeping: Set<String>) throws {
        try ClassTable.save(db, schoolClass, now: now, keeping: keeping)
    }
}
