import GRDB

/// Answers ``DirectoryLookup`` questions with queries, inside the caller's transaction.
struct DatabaseLookup: DirectoryLookup {
    let db: Database

    func schoolExists(_ id: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM directory_schools WHERE id = ?)", arguments: [id]) ?? false
    }

    func schoolOfClass(_ id: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT school_id FROM directory_classes WHERE id = ?", arguments: [id])
    }

    func studentExists(_ id: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM directory_students WHERE id = ?)", arguments: [id]) ?? false
    }

    func studentWithNationalID(_ nationalID: String) throws -> String? {
        try StudentTable.student(withNationalID: nationalID, db)
    }

    func schoolOfStaff(_ id: String) throws -> String? {
        guard let row = try Row.fetchOne(db, sql: "SELECT school_id FROM directory_staff WHERE id = ?", arguments: [id]) else { return nil }
        let school: String? = row["school_id"]
        return school ?? ""
    }

    func studentCount(inClass id: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM directory_students WHERE class_id = ?", arguments: [id]) ?? 0
    }

    func homeroomClasses(of staffID: String) throws -> [HomeroomClass] {
        try Row.fetchAll(db, sql: "SELECT id, school_id FROM directory_classes WHERE homeroom_teacher_id = ? ORDER BY id", arguments: [staffID])
            .map { HomeroomClass(classID: $0["id"], schoolID: $0["school_id"]) }
    }
}
