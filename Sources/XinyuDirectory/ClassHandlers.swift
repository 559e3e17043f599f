import GRDB
import XinyuCoreAPI
import XinyuPluginSDK
import XinyuWire

/// CreateClass, UpdateClass, GetClass, ListClasses.
enum ClassHandlers {
    static func register(_ service: inout ServiceBuilder) {
        service.unary("CreateClass", permission: DirectoryService.writePermission, mutates: true, handler: create)
        service.unary("UpdateClass", permission: DirectoryService.writePermission, mutates: true, handler: update)
        service.unary("GetClass", permission: DirectoryService.readPermission, handler: get)
        service.unary("ListClasses", permission: DirectoryService.readPermission, handler: list)
    }

    @Sendable static func create(_ request: Xinyu_Directory_V1_CreateClassRequest, _ context: CallContext) async throws -> Xinyu_Directory_V1_SchoolClass {
        try await save(request.class, creating: true, context)
    }

    @Sendable static func update(_ request: Xinyu_Directory_V1_UpdateClassRequest, _ context: CallContext) async throws -> Xinyu_Directory_V1_SchoolClass {
        try await save(request.class, creating: false, context)
    }

    private static func save(_ input: Xinyu_Directory_V1_SchoolClass, creating: Bool, _ context: CallContext) async throws -> Xinyu_Directory_V1_SchoolClass {
        var schoolClass = input
        try ClassRules.normalise(&schoolClass).throwIfAny(in: "class")
        let valid = schoolClass
        let now = context.nowMs
        let saved = try await context.store.write { db in
            let lookup = DatabaseLookup(db: db)
            let exists = try lookup.schoolOfClass(valid.id) != nil
            if creating, exists { throw RPCError(.alreadyExists, "class \(valid.id) already exists; use UpdateClass to change it") }
            if !creating, !exists { throw RPCError(.notFound, "no class \(valid.id); use CreateClass to add it") }
            try ClassRules.referenceProblems(valid, lookup).throwIfAny(in: "class")
            if let move = try ClassRules.moveProblem(valid, lookup) {
                try [move].throwIfAny(in: "class", code: .failedPrecondition)
            }
            try ClassTable.save(db, valid, now: now)
            return try ClassTable.fetch(db, id: valid.id)!
        }
        context.logger.info(creating ? "class created" : "class updated", metadata: ["class_id": "\(saved.id)", "school_id": "\(saved.schoolID)"])
        return saved
    }

    @Sendable static func get(_ request: Xinyu_Directory_V1_GetClassRequest, _ context: CallContext) async throws -> Xinyu_Directory_V1_SchoolClass {
        let id = try RequestChecks.id("id", request.id)
        guard let schoolClass = try await context.store.read({ db in try ClassTable.fetch(db, id: id) }) else {
            throw RPCError(.notFound, "no class \(id)")
        }
        return schoolClass
    }

    @Sendable static func list(_ request: Xinyu_Directory_V1_ListClassesRequest, _ context: CallContext) async throws -> Xinyu_Directory_V1_ListClassesResponse {
        let schoolID = try RequestChecks.idFilter("school_id", request.schoolID)
        if request.grade != 0, let problem = ClassRules.gradeProblem(request.grade) {
            throw RPCError.invalidField("grade", problem + "; 0 lists every grade")
        }
        let page = try DirectoryPaging.request(request.page, list: "classes", filters: [schoolID, String(request.grade)])
        var query = DirectoryPaging.query("directory_classes", columns: ClassTable.columns)
        if !schoolID.isEmpty { query.filter("school_id = ?", [schoolID]) }
        if request.grade != 0 { query.filter("grade = ?", [Int(request.grade)]) }
        let finalQuery = query
        let result = try await context.store.read { db in try finalQuery.page(db, page, countingTotal: true, as: ClassRecord.self).map(\.message) }
        var response = Xinyu_Directory_V1_ListClassesResponse()
        response.classes = result.items
        response.total = result.total ?? 0
        response.nextPageToken = result.nextPageToken
        return response
    }
}
