/// The facts about one record that data scopes are checked against.
public struct ScopeTarget: Sendable, Hashable {
    public var schoolID: String?
    public var classID: String?
    /// Mentors whose heart grid (心网格) holds the student.
    public var mentorIDs: [String]
    /// Agencies the record was shared with.
    public var agencyIDs: [String]
    public var studentID: String?

    /// Describes a record.
    public init(schoolID: String? = nil, classID: String? = nil, mentorIDs: [String] = [], agencyIDs: [String] = [], studentID: String? = nil) {
        self.schoolID = schoolID
        self.classID = classID
        self.mentorIDs = mentorIDs
        self.agencyIDs = agencyIDs
        self.studentID = studentID
    }

    /// True when any of `scopes` covers this record.
    public func isCovered(by scopes: [DataScope]) -> Bool {
        scopes.contains { scope in
            switch scope.kind {
            case DataScope.Kind.city: true
            case DataScope.Kind.school: schoolID.map(scope.ids.contains) ?? false
            case DataScope.Kind.class: classID.map(scope.ids.contains) ?? false
            case DataScope.Kind.grid: mentorIDs.contains(where: scope.ids.contains)
            case DataScope.Kind.agency: agencyIDs.contains(where: scope.ids.contains)
            case DataScope.Kind.student: studentID.map(scope.ids.contains) ?? false
            default: false
            }
        }
    }
}
