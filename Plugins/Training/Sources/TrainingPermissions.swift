/// The permissions the training plugin's methods need (Config/roles.toml grants them).
enum TrainingPermissions {
    /// Courses, sessions, enrolments, certificates, grids: read.
    static let read = "training.read"
    /// Courses, sessions, attendance, completion, certificate import, activities.
    static let write = "training.write"
    /// Enrolling in and withdrawing from a session.
    static let enrol = "training.enrol"
    /// Building the heart grid and reassigning students.
    static let gridWrite = "training.grid.write"
    /// Coverage, statistics and activity statistics.
    static let statsRead = "training.stats.read"
}
