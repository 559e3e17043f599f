import XinyuPluginSDK
import GRDB
import XinyuCoreAPI

/// Schools files. Headers (any one per field; case, spaces, '_' and '-' ignored):
/// - `school_id` / `id` / 学校代码 / 学校编号 / 学校标识码: required
/// - `name` / `school_name` / 学校名称 / 学校名 / 名称: required
/// - `district` / 区县 / 所在区县 / 区: required
/// - `kind` / `school_kind` / 学段 / 学校类型 / 办学类型: required; primary/小学, junior/初中,
///   senior/高中, vocational/职高/中职
/// - `sub_centre` / `sub_center` / 分中心 / 是否分中心: optional; 是/否, yes/no, 1/0, empty = no
///
/// Rows are matched to existing schools by id.
enum SchoolRoster: RosterFormat {
    static let kind = "schools"
    static let noun = "school"
    static let columns = [
        RosterColumn("id", ["school_id", "id", "学校代码", "学校编号", "学校标识码"]),
        RosterColumn("name", ["name", "school_name", "学校名称", "学校名", "名称"]),
        RosterColumn("district", ["district", "区县", "所在区县", "区"]),
        RosterColumn("kind", ["kind", "school_kind", "学段", "学校类型", "办学类型"]),
        RosterColumn("sub_centre", ["sub_centre", "sub_center", "分中心", "是否分中心"], required: false),
    ]

    static func record(from values: RosterValues, today: CalendarDay) -> (Xinyu_Directory_V1_School, [FieldProblem]) {
        var problems: [FieldProblem] = []
        var school = Xinyu_Directory_V1_School()
        school.id = values["id"]
        school.name = values["name"]
        school.district = values["district"]
        let kind = values["kind"]
        if !kind.isEmpty {
            if let parsed = Xinyu_Directory_V1_SchoolKind.spreadsheet(kind) {
                school.kind = parsed
            } else {
                problems.add("kind", "'\(kind)' is not a school kind (use \(Xinyu_Directory_V1_SchoolKind.valueHint))")
            }
        }
        school.subCentre = RosterValueParsers.flag(values["sub_centre"]).value(or: false, field: "sub_centre", into: &problems)
        problems.merge(SchoolRules.normalise(&school))
        return (school, problems)
    }

    static func referenceProblems(_ school: Xinyu_Directory_V1_School, _ lookup: RosterSnapshot, skipping: Set<String>) -> [FieldProblem] {
        []
    }

    static func identity(_ school: Xinyu_Directory_V1_School) -> (fields: [String], key: String, label: String) {
        (["id"], school.id, "school \(school.id)")
    }

    static func save(_ db: Database, _ school: Xinyu_Directory_V1_School, now: Int64, keeping: Set<String>) throws {
        try SchoolTable.save(db, school, now: now, keeping: keeping)
    }
}
