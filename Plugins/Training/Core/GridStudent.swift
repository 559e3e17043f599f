/// A student as the grid planner sees them: an id and the class they are in now.
public struct GridStudent: Sendable, Hashable {
    /// The student's id (学籍号).
    public let id: String
    /// The class the student is in now.
    public let classID: String

    /// Creates a student entry.
    public init(id: String, classID: String) {
        self.id = id
        self.classID = classID
    }
}
