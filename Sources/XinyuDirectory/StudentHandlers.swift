import GRDB
import XinyuCoreAPI
import XinyuPluginSDK
import XinyuWire

/// CreateStudent, UpdateStudent, GetStudent, ListStudents. Every student these return or
/// change is reported through `touched(subjects:)` for the audit trail; reads see only the
/// students within the caller's data scopes.
enum StudentHandlers {
    static func register(_ service: inout ServiceBuilder) {
        service.unary("CreateStudent", permission: DirectoryService.writePermission, mutates: true, handler: create)
        service.unary("UpdateStudent", permission: DirectoryService.writePermission, mutates: true, handler: update)
        service.unary("GetStudent", permission: DirectoryService.readPermission, handler: get)
        service.unary("ListStudents", permission: DirectoryService.readPermission, handler: list)
    }

    @Sendable static func create(_ request: Xinyu_Directory_V1_CreateStudentRequest, _ context: CallContext) async throws -> Xinyu_Directory_V1_Student {
        try await save(request.student, creating: true, context)
    }

    @Sendable static func update(_ request: Xinyu_Directory_V1_UpdateStudentRequest, _ context: CallContext) async throws -> Xinyu_Directory_V1_Student {
        try await save(request.student, creating: false, context)
    }

    private static func save(_ input: Xinyu_Directory_V1_Student, creating: Bool, _ context: CallContext) async throws -> Xinyu_Directory_V1_Student {
        var student = input
        try StudentRules.normalise(&student, today: context.today).throwIfAny(in: "student")
        let valid = student
        let now = context.nowMs
        let (saved, before) = try await context.store.write { db in
            let lookup = DatabaseLookup(db: db)
            let before = try StudentTable.fetch(db, id: valid.id)
            if creating, before != nil { throw RPCError(.alreadyExists, "student \(valid.id) already exists; use UpdateStudent to change them") }
            if !creating, before == nil { throw RPCError(.notFound, "no student \(valid.id); use CreateStudent to add them") }
            try StudentRules.referenceProblems(valid, lookup).throwIfAny(in: "student")
            try StudentTable.save(db, valid, now: now)
            return (try StudentTable.fetch(db, id: valid.id)!, before)
        }
        context.touched(subjects: [saved.id])
        if let move = StudentMove(from: before, to: saved) { context.noteForAudit(move.auditNote) }
        // Which student is in the audit trail (touched subjects), not in the log: minimum necessary.
        context.logger.info(creating ? "student created" : "student updated")
        return saved
    }

    @Sendable static func get(_ request: Xinyu_Directory_V1_GetStudentRequest, _ context: CallContext) async throws -> Xinyu_Directory_V1_Student {
        let id = try RequestChecks.id("id", request.id)
        guard let student = try await context.store.read({ db in try StudentTable.fetch(db, id: id) }) else {
            throw RPCError(.notFound, "student \(id) not found")
        }
        // Outside the caller's scope (another class, another school) the student is not there.
        try context.requireScope(ScopeTarget(schoolID: student.schoolID, classID: student.classID, studentID: student.id),
                                 what: "student \(id)", hideExistence: true)
        context.touched(subjects: [student.id])
        return student
    }

    @Sendable static func list(_ request: Xinyu_Directory_V1_ListStudentsRequest, _ context: CallContext) async throws -> Xinyu_Directory_V1_ListStudentsResponse {
        let schoolID = try RequestChecks.idFilter("school_id", request.schoolID)
        let classID = try RequestChecks.idFilter("class_id", request.classID)
        let nameContains = try RequestChecks.textFilter("name_contains", request.nameContains)
        let page = try DirectoryPaging.request(request.page, list: "students", filters: [schoolID, classID, nameContains])
        var query = DirectoryPaging.query("directory_students", columns: StudentTable.columns)
        if !schoolID.isEmpty { query.filter("school_id = ?", [schoolID]) }
        if !classID.isEmpty { query.filter("class_id = ?", [classID]) }
        if !nameContains.isEmpty { query.contains("name", nameContains) }
        // Only the students the caller's data scopes cover: a class teacher lists their class.
        let scope = context.scopeFilter(ScopeColumns(school: "school_id", class: "class_id", student: "id"))
        if !scope.isUnrestricted { query.filter(scope.sql, arguments: scope.arguments) }
        let finalQuery = query
        let result = try await context.store.read { db in try finalQuery.page(db, page, countingTotal: true, as: StudentRecord.self).map(\.message) }
        var response = Xinyu_Directory_V1_ListStudentsResponse()
        response.students = result.items
        response.total = result.total ?? 0
        response.nextPageToken = result.nextPageToken
        // Listing shows these children's records: audit it like a read of each.
        context.touched(subjects: result.items.map(\.id))
        return response
    }
}
