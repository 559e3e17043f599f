import XinyuCoreAPI

/// A student's change of school or class (转学, 转班, common after 休学复学). Every plugin's data
/// scope follows the directory's current placement, so this is the moment the old school's staff
/// lose sight of the student's records and the new school's gain it: the audit trail says so.
struct StudentMove: Equatable {
    let studentID: String
    let fromSchool: String
    let fromClass: String
    let toSchool: String
    let toClass: String

    /// The move between two versions of a student, nil when school and class stay (or `before` is nil).
    init?(from before: Xinyu_Directory_V1_Student?, to after: Xinyu_Directory_V1_Student) {
        guard let before else { return nil }
        self.init(studentID: after.id, fromSchool: before.schoolID, fromClass: before.classID, to: after)
    }

    /// The move from a stored placement to `after`, nil when school and class stay.
    init?(studentID: String, fromSchool: String, fromClass: String, to after: Xinyu_Directory_V1_Student) {
        guard fromSchool != after.schoolID || fromClass != after.classID else { return nil }
        self.studentID = studentID
        self.fromSchool = fromSchool
        self.fromClass = fromClass
        toSchool = after.schoolID
        toClass = after.classID
    }

    /// For the audit trail: school and class ids only, never personal data.
    var auditNote: String {
        "student moved from school \(fromSchool) class \(fromClass) to school \(toSchool) class \(toClass); data scopes follow"
    }
}

extension [StudentMove] {
    /// One audit note for the moves of a roster import: how many, then each move (ids only).
    /// The host keeps the first 500 characters of a call's notes, so the count comes first and
    /// is never lost; the moved students are also the call's audit subjects.
    var auditNote: String? {
        guard !isEmpty else { return nil }
        let each = map { "\($0.studentID) \($0.fromSchool)/\($0.fromClass) → \($0.toSchool)/\($0.toClass)" }
        return "\(count) student(s) moved school or class (转学/转班), data scopes follow: " + each.joined(separator: ", ")
    }
}
