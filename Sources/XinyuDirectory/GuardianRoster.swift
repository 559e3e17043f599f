import XinyuPluginSDK
import GRDB
import XinyuCoreAPI

/// Guardians files. Headers (any one per field; case, spaces, '_' and '-' ignored):
/// - `student_id` / 学籍号 / 学号 / 学生编号: required, an existing student
/// - `name` / `guardian_name` / 监护人姓名 / 家长姓名 / 监护人 / 姓名: required (the guardian's name)
/// - `relation` / `relationship` / 关系 / 与学生关系 / 监护人关系: required, e.g. 母亲, father
/// - `phone` / `mobile` / `telephone` / 电话 / 手机 / 手机号 / 手机号码 / 联系电话: required
///
/// Files carry no guardian ids: a row is matched to the student's guardian of the same name,
/// so re-importing a roster updates relations and phones instead of adding guardians twice.
enum GuardianRoster: RosterFormat {
    static let kind = "guardians"
    static let noun = "guardian"
    static let columns = [
        RosterColumn("student_id", ["student_id", "学籍号", "学号", "学生编号"], references: .student),
        RosterColumn("name", ["name", "guardian_name", "监护人姓名", "家长姓名", "监护人", "姓名"]),
        RosterColumn("relation", ["relation", "relationship", "关系", "与学生关系", "监护人关系"]),
        RosterColumn("phone", ["phone", "mobile", "telephone", "电话", "手机", "手机号", "手机号码", "联系电话"]),
    ]

    static func record(from values: RosterValues, today: CalendarDay) -> (Xinyu_Directory_V1_Guardian, [FieldProblem]) {
        var guardian = Xinyu_Directory_V1_Guardian()
        guardian.studentID = values["student_id"]
        guardian.name = values["name"]
        guardian.relation = values["relation"]
        guardian.phone = values["phone"]
        let problems = GuardianRules.normalise(&guardian)
        return (guardian, problems)
    }

    static func referenceProblems(_ guardian: Xinyu_Directory_V1_Guardian, _ lookup: RosterSnapshot, skipping: Set<String>) throws -> [FieldProblem] {
        try GuardianRules.referenceProblems(guardian, lookup, skipping: skipping)
    }

    static func identity(_ guardian: Xinyu_Directory_V1_Guardian) -> (fields: [String], key: String, label: String) {
        // The label must not quote the name: it is personal data.
        (["name", "student_id"], guardian.studentID + "\u{1F}" + guardian.name, "a guardian of student \(guardian.studentID) with this name")
    }

    static func save(_ db: Database, _ guardian: Xinyu_Directory_V1_Guardian, now: Int64, keeping: Set<String>) throws {
        try GuardianTable.saveByName(db, guardian, now: now)
    }
}
