import GRDB

/// Writes directory rows straight into the shared database, without the service's checks or
/// audit: for tests and benchmarks of other parts (a plugin's tests, say) that need a directory
/// to read, so that they never spell the directory's table names themselves.
public enum DirectorySeed {
    /// Adds a school; `kind` is "primary", "junior", "senior" or "vocational".
    public static func school(_ db: Database, id: String, name: String, district: String, kind: String) throws {
        try db.execute(sql: "INSERT INTO directory_schools (id, name, district, kind, updated_at_ms) VALUES (?, ?, ?, ?, 0)",
                       arguments: [id, name, district, kind])
    }

    /// Adds a member of staff; `schoolID` nil for city-level staff.
    public static func staff(_ db: Database, id: String, name: String, schoolID: String?, roles: [String] = []) throws {
        try db.execute(sql: "INSERT INTO directory_staff (id, name, school_id, updated_at_ms) VALUES (?, ?, ?, 0)", arguments: [id, name, schoolID])
        for role in roles {
            try db.execute(sql: "INSERT INTO directory_staff_roles (staff_id, role) VALUES (?, ?)", arguments: [id, role])
        }
    }

    /// Adds a class of grade 1–12.
    public static func schoolClass(_ db: Database, id: String, schoolID: String, grade: Int, name: String, homeroomTeacherID: String?) throws {
        try db.execute(sql: """
            INSERT INTO directory_classes (id, school_id, grade, name, homeroom_teacher_id, updated_at_ms) VALUES (?, ?, ?, ?, ?, 0)
            """, arguments: [id, schoolID, grade, name, homeroomTeacherID])
    }

    /// Adds a student; `gender` is "female" or "male", `birthDate` ISO, `nationalStudentID` the
    /// national student number (全国学籍号) or "" when unknown.
    public static func student(_ db: Database, id: String, name: String, gender: String, birthDate: String, schoolID: String, classID: String,
                               nationalStudentID: String = "") throws {
        try db.cachedStatement(sql: """
            INSERT INTO directory_students (id, name, gender, birth_date, school_id, class_id, national_student_id, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, 0)
            """).execute(arguments: [id, name, gender, birthDate, schoolID, classID, nationalStudentID])
    }

    /// Moves a student to another school and class (a transfer), as UpdateStudent would.
    public static func moveStudent(_ db: Database, id: String, schoolID: String, classID: String) throws {
        try db.execute(sql: "UPDATE directory_students SET school_id = ?, class_id = ?, updated_at_ms = updated_at_ms + 1 WHERE id = ?",
                       arguments: [schoolID, classID, id])
    }

    /// Adds a guardian of a student.
    public static func guardian(_ db: Database, studentID: String, name: String, relation: String, phone: String) throws {
        try db.execute(sql: "INSERT INTO directory_guardians (student_id, name, relation, phone, updated_at_ms) VALUES (?, ?, ?, ?, 0)",
                       arguments: [studentID, name, relation, phone])
    }

    /// Puts a student in a mentor's heart grid (心网格).
    public static func gridMember(_ db: Database, mentorID: String, studentID: String) throws {
        try db.execute(sql: "INSERT INTO directory_grid_members (mentor_id, student_id, updated_at_ms) VALUES (?, ?, 0)",
                       arguments: [mentorID, studentID])
    }
}
