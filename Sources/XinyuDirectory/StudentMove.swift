import XinyuCoreAPI

/// A student's change of school or class (转学, 转班, common after 休学复学). Every plugin's data
/// scope follows the directory's current placement, so this is the moment the old school's staff
/// lose sight of the student's records and the new school's gain it: the audit trail says so.
struct StudentMove: Equatable {
    let fromSchool: String
    let fromClass: String
    let toSchool: String
    let toClass: String

    /// The move between two versions of a student, nil when school and class stay (or `before` is nil).
    init?(from before: Xinyu_Directory_V1_Student?, to after: Xinyu_Directory_V1_Student) {
        guard let before, before.schoolID != after.schoolID || before.classID != after.classID else { return nil }
        fromSchool = before.schoolID
        fromClass = before.classID
        toSchool = after.schoolID
        toClass = after.classID
    }

    /// For the audit trail: school and class ids only, never personal data.
    var auditNote: String {
        "student moved from school \(fromSchool) class \(fromClass) to school \(toSchool) class \(toClass); data scopes follow"
    }
}
