import XinyuPluginSDK
import XinyuCoreAPI

/// What makes a student valid.
enum StudentRules {
    /// Trims the text fields in place and returns every format problem.
    static func normalise(_ student: inout Xinyu_Directory_V1_Student, today: CalendarDay) -> [FieldProblem] {
        student.id = FieldRules.trimmed(student.id)
        student.name = FieldRules.trimmed(student.name)
        student.birthDate = FieldRules.trimmed(student.birthDate)
        student.schoolID = FieldRules.trimmed(student.schoolID)
        student.classID = FieldRules.trimmed(student.classID)
        student.nationalStudentID = FieldRules.trimmed(student.nationalStudentID)
        var problems: [FieldProblem] = []
        problems.add("id", FieldRules.idProblem(student.id))
        problems.add("name", FieldRules.textProblem(student.name))
        problems.add("gender", Xinyu_Directory_V1_Gender.problem(student.gender))
        problems.add("birth_date", BirthDateRule.problem(iso: student.birthDate, today: today))
        problems.add("school_id", FieldRules.idProblem(student.schoolID))
        problems.add("class_id", FieldRules.idProblem(student.classID))
        // Optional: checked only when given.
        if !student.nationalStudentID.isEmpty {
            problems.add("national_student_id", FieldRules.idProblem(student.nationalStudentID))
        }
        return problems
    }

    /// The school must exist and the class must be one of that school's.
    static func referenceProblems(_ student: Xinyu_Directory_V1_Student, _ lookup: some DirectoryLookup, skipping: Set<String> = []) throws -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if !skipping.contains("national_student_id"), let holder = try lookup.studentWithNationalID(student.nationalStudentID), holder != student.id {
            problems.add("national_student_id", "\(student.nationalStudentID) is already the national student id of student \(holder)")
        }
        if !skipping.contains("school_id"), try !lookup.schoolExists(student.schoolID) {
            problems.add("school_id", "no school \(student.schoolID)")
        }
        // Without the school, "no class C001 in school S009" would only repeat the problem.
        if !skipping.contains("class_id"), !skipping.contains("school_id"), problems.isEmpty {
            switch try lookup.schoolOfClass(student.classID) {
            case nil:
                problems.add("class_id", "no class \(student.classID) in school \(student.schoolID)")
            case let school? where school != student.schoolID:
                problems.add("class_id", "no class \(student.classID) in school \(student.schoolID) (class \(student.classID) is in school \(school))")
            default:
                break
            }
        }
        return problems
    }
}
