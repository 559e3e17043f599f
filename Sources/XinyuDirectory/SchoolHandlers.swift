import GRDB
import XinyuCoreAPI
import XinyuPluginSDK
import XinyuWire

/// CreateSchool, UpdateSchool, GetSchool, ListSchools.
enum SchoolHandlers {
    static func register(_ service: inout ServiceBuilder) {
        service.unary("CreateSchool", permission: DirectoryService.writePermission, mutates: true, handler: create)
        service.unary("UpdateSchool", permission: DirectoryService.writePermission, mutates: true, handler: update)
        service.unary("GetSchool", permission: DirectoryService.readPermission, handler: get)
        service.unary("ListSchools", permission: DirectoryService.readPermission, handler: list)
    }

    @Sendable static func create(_ request: Xinyu_Directory_V1_CreateSchoolRequest, _ context: CallContext) async throws -> Xinyu_Directory_V1_School {
        try await save(request.school, creating: true, context)
    }

    @Sendable static func update(_ request: Xinyu_Directory_V1_UpdateSchoolRequest, _ context: CallContext) async throws -> Xinyu_Directory_V1_School {
        try await save(request.school, creating: false, context)
    }

    private static func save(_ input: Xinyu_Directory_V1_School, creating: Bool, _ context: CallContext) async throws -> Xinyu_Directory_V1_School {
        var school = input
        try SchoolRules.normalise(&school).throwIfAny(in: "school")
        let valid = school
        let now = context.nowMs
        let saved = try await context.store.write { db in
            let exists = try SchoolTable.fetch(db, id: valid.id) != nil
            if creating, exists { throw RPCError(.alreadyExists, "school \(valid.id) already exists; use UpdateSchool to change it") }
            if !creating, !exists { throw RPCError(.notFound, "no school \(valid.id); use CreateSchool to add it") }
            try SchoolTable.save(db, valid, now: now)
            return try SchoolTable.fetch(db, id: valid.id)!
        }
        context.logger.info(creating ? "school created" : "school updated", metadata: ["school_id": "\(saved.id)"])
        return saved
    }

    @Sendable static func get(_ request: Xinyu_Directory_V1_GetSchoolRequest, _ context: CallContext) async throws -> Xinyu_Directory_V1_School {
        let id = try RequestChecks.id("id", request.id)
        guard let school = try await context.store.read({ db in try SchoolTable.fetch(db, id: id) }) else {
            throw RPCError(.notFound, "no school \(id)")
        }
        return school
    }

    @Sendable static func list(_ request: Xinyu_Directory_V1_ListSchoolsRequest, _ context: CallContext) async throws -> Xinyu_Directory_V1_ListSchoolsResponse {
        let district = try RequestChecks.textFilter("district", request.district)
        let nameContains = try RequestChecks.textFilter("name_contains", request.nameContains)
        // UNSPECIFIED means "any kind" here; an unknown number is an error naming the field.
        let kind: String? = request.kind == .unspecified ? nil : try Xinyu_Directory_V1_SchoolKind.storedText(of: request.kind, field: "kind")
        let page = try DirectoryPaging.request(request.page, list: "schools", filters: [district, kind ?? "", nameContains])
        var query = DirectoryPaging.query("directory_schools", columns: SchoolTable.columns)
        if !district.isEmpty { query.filter("district = ?", [district]) }
        if let kind { query.filter("kind = ?", [kind]) }
        if !nameContains.isEmpty { query.contains("name", nameContains) }
        let finalQuery = query
        let result = try await context.store.read { db in try finalQuery.page(db, page, countingTotal: true, as: SchoolRecord.self).map(\.message) }
        var response = Xinyu_Directory_V1_ListSchoolsResponse()
        response.schools = result.items
        response.total = result.total ?? 0
        response.nextPageToken = result.nextPageToken
        return response
    }
}
