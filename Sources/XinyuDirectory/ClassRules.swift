import XinyuCoreAPI

/// What makes a class valid.
enum ClassRules {
    /// Trims the text fields in place and returns every format problem.
    static func normalise(_ schoolClass: inout Xinyu_Directory_V1_SchoolClass) -> [FieldProblem] {
        schoolClass.id = FieldRules.trimmed(schoolClass.id)
        schoolClass.schoolID = FieldRules.trimmed(schoolClass.schoolID)
        schoolClass.name = FieldRules.trimmed(schoolClass.name)
        schoolClass.homeroomTeacherID = FieldRules.trimmed(schoolClass.homeroomTeacherID)
        var problems: [FieldProblem] = []
        problems.add("id", FieldRules.idProblem(schoolClass.id))
        problems.add("school_id", FieldRules.idProblem(schoolClass.schoolID))
        problems.add("grade", gradeProblem(schoolClass.grade))
        problems.add("name", FieldRules.textProblem(schoolClass.name))
        problems.add("homeroom_teacher_id", FieldRules.idProblem(schoolClass.homeroomTeacherID, required: false))
        return problems
    }

    static func gradeProblem(_ grade: Int32) -> String? {
        if grade == 0 { return "is required (1–12: primary 1–6, junior 7–9, senior 10–12)" }
        return (1...12).contains(grade) ? nil : "\(grade) is not a grade (1–12: primary 1–6, junior 7–9, senior 10–12)"
    }

    /// The school must exist; a homeroom teacher must be staff of that same school.
    /// Skips fields listed in `skipping` (they already have a problem).
    static func referenceProblems(_ schoolClass: Xinyu_Directory_V1_SchoolClass, _ lookup: some DirectoryLookup, skipping: Set<String> = []) throws -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if !skipping.contains("school_id"), try !lookup.schoolExists(schoolClass.schoolID) {
            problems.add("school_id", "no school \(schoolClass.schoolID)")
        }
        let teacher = schoolClass.homeroomTeacherID
        if !teacher.isEmpty, !skipping.contains("homeroom_teacher_id") {
            switch try lookup.schoolOfStaff(teacher) {
            case nil:
                problems.add("homeroom_teacher_id", "no staff \(teacher)")
            case "":
                problems.add("homeroom_teacher_id", "staff \(teacher) is city-level staff, not staff of school \(schoolClass.schoolID)")
            case let school? where school != schoolClass.schoolID:
                problems.add("homeroom_teacher_id", "staff \(teacher) works at school \(school), not at school \(schoolClass.schoolID)")
            default:
                break
            }
        }
        return problems
    }

    /// A class with students cannot move to another school: its students would be left in a
    /// class of a school they are not in (the database refuses that too).
    static func moveProblem(_ schoolClass: Xinyu_Directory_V1_SchoolClass, _ lookup: some DirectoryLookup) throws -> FieldProblem? {
        guard let current = try lookup.schoolOfClass(schoolClass.id), current != schoolClass.schoolID else { return nil }
        let students = try lookup.studentCount(inClass: schoolClass.id)
        guard students > 0 else { return nil }
        return FieldProblem("school_id", "class \(schoolClass.id) has \(students) student(s) in school \(current); move them to another class before moving the class to school \(schoolClass.schoolID)")
    }
}
