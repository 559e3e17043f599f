import XinyuCoreAPI

/// What makes a school valid.
enum SchoolRules {
    /// Trims the text fields in place and returns every format problem.
    static func normalise(_ school: inout Xinyu_Directory_V1_School) -> [FieldProblem] {
        school.id = FieldRules.trimmed(school.id)
        school.name = FieldRules.trimmed(school.name)
        school.district = FieldRules.trimmed(school.district)
        var problems: [FieldProblem] = []
        problems.add("id", FieldRules.idProblem(school.id))
        problems.add("name", FieldRules.textProblem(school.name))
        problems.add("district", FieldRules.textProblem(school.district))
        problems.add("kind", Xinyu_Directory_V1_SchoolKind.problem(school.kind))
        return problems
    }
}
