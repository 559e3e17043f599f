import GRDB
import XinyuCoreAPI
import XinyuPluginSDK
import XinyuWire

/// SetGrid, GetGrid: the heart grid (心网格) of one mentor, the basis of "grid" data scopes.
enum GridHandlers {
    /// The document's ratio is 1 mentor : 15 students; allow headroom, refuse nonsense.
    static let maxStudents = 60

    static func register(_ service: inout ServiceBuilder) {
        service.unary("SetGrid", permission: DirectoryService.writePermission, mutates: true, handler: set)
        service.unary("GetGrid", permission: DirectoryService.readPermission, handler: get)
    }

    @Sendable static func set(_ request: Xinyu_Directory_V1_SetGridRequest, _ context: CallContext) async throws -> Xinyu_Directory_V1_Grid {
        let mentor = try RequestChecks.id("grid.mentor_id", request.grid.mentorID)
        var students: [String] = []
        for (index, raw) in request.grid.studentIds.enumerated() {
            let id = try RequestChecks.id("grid.student_ids[\(index)]", raw)
            guard !students.contains(id) else { throw RPCError.invalidField("grid.student_ids[\(index)]", "\(id) is listed twice") }
            students.append(id)
        }
        guard students.count <= maxStudents else {
            throw RPCError.invalidField("grid.student_ids", "\(students.count) students; a heart grid holds at most \(maxStudents) (the guideline is 15)")
        }
        let now = context.nowMs
        let list = students
        try await context.store.write { db in
            guard let school = try DatabaseLookup(db: db).schoolOfStaff(mentor) else {
                throw RPCError.invalidField("grid.mentor_id", "no staff \(mentor)")
            }
            for (index, id) in list.enumerated() {
                guard let studentSchool = try String.fetchOne(db, sql: "SELECT school_id FROM directory_students WHERE id = ?", arguments: [id]) else {
                    throw RPCError.invalidField("grid.student_ids[\(index)]", "no student \(id)")
                }
                guard studentSchool == school else {
                    throw RPCError.invalidField("grid.student_ids[\(index)]", "student \(id) is in school \(studentSchool), the mentor in \(school)")
                }
            }
            try db.execute(sql: "DELETE FROM directory_grid_members WHERE mentor_id = ?", arguments: [mentor])
            for id in list {
                try db.execute(sql: "INSERT INTO directory_grid_members (mentor_id, student_id, updated_at_ms) VALUES (?, ?, ?)", arguments: [mentor, id, now])
            }
        }
        context.touched(subjects: list)
        var grid = Xinyu_Directory_V1_Grid()
        grid.mentorID = mentor
        grid.studentIds = list
        grid.updatedAtMs = now
        return grid
    }

    @Sendable static func get(_ request: Xinyu_Directory_V1_GetGridRequest, _ context: CallContext) async throws -> Xinyu_Directory_V1_Grid {
        let mentor = try RequestChecks.id("mentor_id", request.mentorID)
        let scope = context.scopeFilter(ScopeColumns(school: "s.school_id", class: "s.class_id", student: "s.id"))
        let rows = try await context.store.read { db -> [[String: Int64]] in
            try Row.fetchAll(db, sql: """
                SELECT g.student_id, g.updated_at_ms FROM directory_grid_members g JOIN directory_students s ON s.id = g.student_id
                WHERE g.mentor_id = ? AND \(scope.sql) ORDER BY g.student_id
                """, arguments: [mentor] + scope.arguments).map { [$0["student_id"]: $0["updated_at_ms"]] }
        }
        var grid = Xinyu_Directory_V1_Grid()
        grid.mentorID = mentor
        grid.studentIds = rows.flatMap(\.keys)
        grid.updatedAtMs = rows.flatMap(\.values).max() ?? 0
        context.touched(subjects: grid.studentIds)
        return grid
    }
}
