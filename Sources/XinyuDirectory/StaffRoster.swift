import XinyuPluginSDK
import GRDB
import XinyuCoreAPI

/// Staff files. Headers (any one per field; case, spaces, '_' and '-' ignored):
/// - `staff_id` / `id` / 工号 / 职工号 / 教职工号 / 教师编号: required
/// - `name` / `staff_name` / 姓名 / 教师姓名: required
/// - `school_id` / 学校代码 / 学校编号: optional; empty for city-level staff
/// - `roles` / `role` / 角色 / 岗位: optional; ids separated by ';', ',', '、', '|' or spaces;
///   班主任, 专职心理教师, 导师 and 校长 are translated to their ids
///
/// Rows are matched to existing staff by id. When the file has no school or roles column at
/// all, existing staff keep theirs (new staff get none).
enum StaffRoster: RosterFormat {
    static let kind = "staff"
    static let noun = "staff member"
    static let columns = [
        RosterColumn("id", ["staff_id", "id", "工号", "职工号", "教职工号", "教师编号"], references: .staffMoves),
        RosterColumn("name", ["name", "staff_name", "姓名", "教师姓名"]),
        RosterColumn("school_id", ["school_id", "学校代码", "学校编号"], required: false, references: .school),
        RosterColumn("roles", ["roles", "role", "角色", "岗位"], required: false),
    ]

    static func record(from values: RosterValues, today: CalendarDay) -> (Xinyu_Directory_V1_Staff, [FieldProblem]) {
        var problems: [FieldProblem] = []
        var staff = Xinyu_Directory_V1_Staff()
        staff.id = values["id"]
        staff.name = values["name"]
        staff.schoolID = values["school_id"]
        staff.roles = RosterValueParsers.roles(values["roles"]).value(or: [], field: "roles", into: &problems)
        problems.merge(StaffRules.normalise(&staff))
        return (staff, problems)
    }

    static func referenceProblems(_ staff: Xinyu_Directory_V1_Staff, _ lookup: RosterSnapshot, skipping: Set<String>) throws -> [FieldProblem] {
        var problems = try StaffRules.referenceProblems(staff, lookup, skipping: skipping)
        if !skipping.contains("id"), !skipping.contains("school_id"), let move = try StaffRules.moveProblem(staff, lookup) {
            problems.merge([move])
        }
        return problems
    }

    static func identity(_ staff: Xinyu_Directory_V1_Staff) -> (fields: [String], key: String, label: String) {
        (["id"], staff.id, "staff \(staff.id)")
    }

    static func save(_ db: Database, _ staff: Xinyu_Directory_V1_Staff, now: Int64, keeping: Set<String>) throws {
        try StaffTable.save(db, staff, now: now, keeping: keeping)
    }
}
