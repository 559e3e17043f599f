import XinyuCoreAPI

/// What makes a staff member valid.
enum StaffRules {
    static let maxRoles = 16

    /// Trims the text fields, sorts and de-duplicates the roles in place, and returns every
    /// format problem. Roles come back sorted, so what a caller reads equals what it wrote.
    static func normalise(_ staff: inout Xinyu_Directory_V1_Staff) -> [FieldProblem] {
        staff.id = FieldRules.trimmed(staff.id)
        staff.name = FieldRules.trimmed(staff.name)
        staff.schoolID = FieldRules.trimmed(staff.schoolID)
        staff.roles = Array(Set(staff.roles.map(FieldRules.trimmed).filter { !$0.isEmpty })).sorted()
        var problems: [FieldProblem] = []
        problems.add("id", FieldRules.idProblem(staff.id))
        problems.add("name", FieldRules.textProblem(staff.name))
        problems.add("school_id", FieldRules.idProblem(staff.schoolID, required: false))
        if staff.roles.count > maxRoles {
            problems.add("roles", "has \(staff.roles.count) roles, more than the limit of \(maxRoles)")
        } else if let bad = staff.roles.lazy.compactMap({ FieldRules.idProblem($0) }).first {
            problems.add("roles", "role \(bad)")
        }
        return problems
    }

    /// A school, when given, must exist.
    static func referenceProblems(_ staff: Xinyu_Directory_V1_Staff, _ lookup: some DirectoryLookup, skipping: Set<String> = []) throws -> [FieldProblem] {
        guard !staff.schoolID.isEmpty, !skipping.contains("school_id"), try !lookup.schoolExists(staff.schoolID) else { return [] }
        return [FieldProblem("school_id", "no school \(staff.schoolID)")]
    }

    /// A homeroom teacher cannot leave the school of their class: the class would be left with
    /// a teacher from elsewhere.
    static func moveProblem(_ staff: Xinyu_Directory_V1_Staff, _ lookup: some DirectoryLookup) throws -> FieldProblem? {
        guard let elsewhere = try lookup.homeroomClasses(of: staff.id).first(where: { $0.schoolID != staff.schoolID }) else { return nil }
        return FieldProblem("school_id", "staff \(staff.id) is the homeroom teacher of class \(elsewhere.classID) in school \(elsewhere.schoolID); give that class another homeroom teacher first")
    }
}
