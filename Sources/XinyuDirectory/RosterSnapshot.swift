import GRDB

/// The directory rows an import file refers to, fetched in one read before its rows are
/// checked, so checking 20,000 rows costs a few batched queries instead of 40,000 lookups.
///
/// It answers ``DirectoryLookup`` only for ids it was asked to fetch; any other id looks absent.
struct RosterSnapshot: DirectoryLookup, Sendable {
    private(set) var schools: Set<String> = []
    private(set) var classSchools: [String: String] = [:]
    private(set) var classStudentCounts: [String: Int] = [:]
    private(set) var students: Set<String> = []
    private(set) var studentsByNationalID: [String: String] = [:]
    private(set) var staffSchools: [String: String] = [:]
    private(set) var homeroom: [String: [HomeroomClass]] = [:]

    /// SQLite allows 32,766 variables per statement; far smaller batches keep statements cheap.
    private static let batchSize = 500

    /// Fetches the rows for the wanted ids of each kind.
    static func load(_ db: Database, wanted: [RosterReference: Set<String>]) throws -> RosterSnapshot {
        var snapshot = RosterSnapshot()
        func each(_ reference: RosterReference, _ body: ([String], String) throws -> Void) throws {
            let ids = Array(wanted[reference] ?? []).filter { !$0.isEmpty }.sorted()
            var start = 0
            while start < ids.count {
                let batch = Array(ids[start..<min(start + batchSize, ids.count)])
                try body(batch, Array(repeating: "?", count: batch.count).joined(separator: ", "))
                start += batchSize
            }
        }
        try each(.school) { ids, marks in
            snapshot.schools.formUnion(try String.fetchAll(db, sql: "SELECT id FROM directory_schools WHERE id IN (\(marks))", arguments: StatementArguments(ids)))
        }
        for reference in [RosterReference.schoolClass, .classMoves] {
            try each(reference) { ids, marks in
                for row in try Row.fetchAll(db, sql: "SELECT id, school_id FROM directory_classes WHERE id IN (\(marks))", arguments: StatementArguments(ids)) {
                    snapshot.classSchools[row["id"]] = row["school_id"]
                }
            }
        }
        try each(.classMoves) { ids, marks in
            for row in try Row.fetchAll(db, sql: "SELECT class_id, COUNT(*) AS n FROM directory_students WHERE class_id IN (\(marks)) GROUP BY class_id", arguments: StatementArguments(ids)) {
                snapshot.classStudentCounts[row["class_id"]] = row["n"]
            }
        }
        try each(.student) { ids, marks in
            snapshot.students.formUnion(try String.fetchAll(db, sql: "SELECT id FROM directory_students WHERE id IN (\(marks))", arguments: StatementArguments(ids)))
        }
        try each(.nationalStudentID) { ids, marks in
            for row in try Row.fetchAll(db, sql: "SELECT national_student_id, id FROM directory_students WHERE national_student_id IN (\(marks))", arguments: StatementArguments(ids)) {
                snapshot.studentsByNationalID[row["national_student_id"]] = row["id"]
            }
        }
        for reference in [RosterReference.staff, .staffMoves] {
            try each(reference) { ids, marks in
                for row in try Row.fetchAll(db, sql: "SELECT id, school_id FROM directory_staff WHERE id IN (\(marks))", arguments: StatementArguments(ids)) {
                    snapshot.staffSchools[row["id"]] = (row["school_id"] as String?) ?? ""
                }
            }
        }
        try each(.staffMoves) { ids, marks in
            for row in try Row.fetchAll(db, sql: "SELECT id, school_id, homeroom_teacher_id FROM directory_classes WHERE homeroom_teacher_id IN (\(marks)) ORDER BY id", arguments: StatementArguments(ids)) {
                snapshot.homeroom[row["homeroom_teacher_id"], default: []].append(HomeroomClass(classID: row["id"], schoolID: row["school_id"]))
            }
        }
        return snapshot
    }

    func schoolExists(_ id: String) -> Bool { schools.contains(id) }
    func schoolOfClass(_ id: String) -> String? { classSchools[id] }
    func studentExists(_ id: String) -> Bool { students.contains(id) }
    func studentWithNationalID(_ nationalID: String) -> String? { nationalID.isEmpty ? nil : studentsByNationalID[nationalID] }
    func schoolOfStaff(_ id: String) -> String? { staffSchools[id] }
    func studentCount(inClass id: String) -> Int { classStudentCounts[id] ?? 0 }
    func homeroomClasses(of staffID: String) -> [HomeroomClass] { homeroom[staffID] ?? [] }
}
