/// A member of staff as the coverage figures see them: their school and directory roles.
public struct StaffFacts: Sendable, Hashable {
    public let id: String
    public let schoolID: String
    /// Directory roles, e.g. "class_teacher", "mentor", "psych_teacher_full_time".
    public let roles: [String]

    /// Creates the facts.
    public init(id: String, schoolID: String, roles: [String]) {
        self.id = id
        self.schoolID = schoolID
        self.roles = roles
    }
}
