import GRDB
import XinyuCoreAPI
import XinyuPluginSDK
import XinyuWire

/// CreateStaff, UpdateStaff, GetStaff, ListStaff.
enum StaffHandlers {
    static func register(_ service: inout ServiceBuilder) {
        service.unary("CreateStaff", permission: DirectoryService.writePermission, mutates: true, handler: create)
        service.unary("UpdateStaff", permission: DirectoryService.writePermission, mutates: true, handler: update)
        service.unary("GetStaff", permission: DirectoryService.readPermission, handler: get)
        service.unary("ListStaff", permission: DirectoryService.readPermission, handler: list)
    }

    @Sendable static func create(_ request: Xinyu_Directory_V1_CreateStaffRequest, _ context: CallContext) async throws -> Xinyu_Directory_V1_Staff {
        try await save(request.staff, creating: true, context)
    }

    @Sendable static func update(_ request: Xinyu_Directory_V1_UpdateStaffRequest, _ context: CallContext) async throws -> Xinyu_Directory_V1_Staff {
        try await save(request.staff, creating: false, context)
    }

    private static func save(_ input: Xinyu_Directory_V1_Staff, creating: Bool, _ context: CallContext) async throws -> Xinyu_Directory_V1_Staff {
        var staff = input
        try StaffRules.normalise(&staff).throwIfAny(in: "staff")
        let valid = staff
        let now = context.nowMs
        let saved = try await context.store.write { db in
            let lookup = DatabaseLookup(db: db)
            let exists = try lookup.schoolOfStaff(valid.id) != nil
            if creating, exists { throw RPCError(.alreadyExists, "staff \(valid.id) already exists; use UpdateStaff to change them") }
            if !creating, !exists { throw RPCError(.notFound, "no staff \(valid.id); use CreateStaff to add them") }
            try StaffRules.referenceProblems(valid, lookup).throwIfAny(in: "staff")
            if let move = try StaffRules.moveProblem(valid, lookup) {
                try [move].throwIfAny(in: "staff", code: .failedPrecondition)
            }
            try StaffTable.save(db, valid, now: now)
            return try StaffTable.fetch(db, id: valid.id)!
        }
        context.logger.info(creating ? "staff created" : "staff updated", metadata: ["staff_id": "\(saved.id)"])
        return saved
    }

    @Sendable static func get(_ request: Xinyu_Directory_V1_GetStaffRequest, _ context: CallContext) async throws -> Xinyu_Directory_V1_Staff {
        let id = try RequestChecks.id("id", request.id)
        guard let staff = try await context.store.read({ db in try StaffTable.fetch(db, id: id) }) else {
            throw RPCError(.notFound, "no staff \(id)")
        }
        return staff
    }

    @Sendable static func list(_ request: Xinyu_Directory_V1_ListStaffRequest, _ context: CallContext) async throws -> Xinyu_Directory_V1_ListStaffResponse {
        let schoolID = try RequestChecks.idFilter("school_id", request.schoolID)
        let role = try RequestChecks.idFilter("role", request.role)
        let page = try DirectoryPaging.request(request.page, list: "staff", filters: [schoolID, role])
        var query = DirectoryPaging.query("directory_staff", columns: StaffTable.columns)
        if !schoolID.isEmpty { query.filter("school_id = ?", [schoolID]) }
        if !role.isEmpty {
            query.filter("EXISTS (SELECT 1 FROM directory_staff_roles r WHERE r.staff_id = directory_staff.id AND r.role = ?)", [role])
        }
        let finalQuery = query
        let result = try await context.store.read { db in
            var found = try finalQuery.page(db, page, countingTotal: true, as: StaffRecord.self).map(\.message)
            try StaffTable.attachRoles(db, &found.items)
            return found
        }
        var response = Xinyu_Directory_V1_ListStaffResponse()
        response.staff = result.items
        response.total = result.total ?? 0
        response.nextPageToken = result.nextPageToken
        return response
    }
}
