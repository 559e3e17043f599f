import XinyuCoreAPI

/// What makes a guardian valid.
enum GuardianRules {
    /// Trims the text fields in place and returns every format problem except the id's
    /// (whose rule differs between create and update).
    static func normalise(_ guardian: inout Xinyu_Directory_V1_Guardian) -> [FieldProblem] {
        guardian.studentID = FieldRules.trimmed(guardian.studentID)
        guardian.name = FieldRules.trimmed(guardian.name)
        guardian.relation = FieldRules.trimmed(guardian.relation)
        guardian.phone = FieldRules.trimmed(guardian.phone)
        var problems: [FieldProblem] = []
        problems.add("student_id", FieldRules.idProblem(guardian.studentID))
        problems.add("name", FieldRules.textProblem(guardian.name))
        problems.add("relation", FieldRules.textProblem(guardian.relation, limit: FieldRules.maxRelationLength))
        problems.add("phone", FieldRules.phoneProblem(guardian.phone))
        return problems
    }

    /// The student must exist.
    static func referenceProblems(_ guardian: Xinyu_Directory_V1_Guardian, _ lookup: some DirectoryLookup, skipping: Set<String> = []) throws -> [FieldProblem] {
        guard !skipping.contains("student_id"), try !lookup.studentExists(guardian.studentID) else { return [] }
        return [FieldProblem("student_id", "no student \(guardian.studentID)")]
    }
}
