import GRDB
import XinyuFacilitiesAPI
import XinyuFacilitiesCore
import XinyuPluginSDK

/// SaveRoom, CertifyRoom, ListRooms, GetCoverage: the counselling rooms (心理辅导室), their
/// certification as standardised rooms, and the city's coverage.
struct RoomHandlers: Sendable {
    let configuration: FacilitiesConfiguration

    func register(_ s: inout ServiceBuilder) {
        s.unary("SaveRoom", permission: FacilitiesPermissions.write, mutates: true, handler: save)
        s.unary("CertifyRoom", permission: FacilitiesPermissions.inspect, mutates: true, handler: certify)
        s.unary("ListRooms", permission: FacilitiesPermissions.read, handler: list)
        s.unary("GetCoverage", permission: FacilitiesPermissions.read, handler: coverage)
    }

    @Sendable func save(_ request: Xinyu_Facilities_V1_SaveRoomRequest, _ context: CallContext) async throws -> Xinyu_Facilities_V1_Room {
        guard !request.name.isEmpty else { throw RPCError.invalidField("name", "is required") }
        guard request.areaM2 >= 0, request.areaM2 < 10_000 else { throw RPCError.invalidField("area_m2", "\(request.areaM2) must be 0–10000") }
        let equipment = try JSONColumn.text(request.equipment)
        return try await context.store.write { db in
            _ = try SchoolAccess.visible(db, id: request.schoolID, context: context)
            let id: Int64
            if request.id.isEmpty {
                try db.execute(sql: """
                    INSERT INTO facilities_rooms (school_id, name, location, area_m2, opening_hours, equipment, updated_by, updated_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [request.schoolID, request.name, request.location, request.areaM2, request.openingHours, equipment,
                                     context.principal.id, context.nowMs])
                id = db.lastInsertedRowID
            } else {
                id = try SchoolAccess.number(request.id, field: "id")
                guard let existing = try RoomRecord.find(db, id: id), existing.schoolID == request.schoolID else {
                    throw RPCError(.notFound, "field id: no room \(request.id) at school \(request.schoolID)")
                }
                try db.execute(sql: """
                    UPDATE facilities_rooms SET name = ?, location = ?, area_m2 = ?, opening_hours = ?, equipment = ?, updated_by = ?, updated_at_ms = ?
                    WHERE id = ?
                    """, arguments: [request.name, request.location, request.areaM2, request.openingHours, equipment, context.principal.id, context.nowMs, id])
            }
            guard let room = try RoomRecord.find(db, id: id) else { throw RPCError(.internal, "room \(id) vanished") }
            return room.message
        }
    }

    @Sendable func certify(_ request: Xinyu_Facilities_V1_CertifyRoomRequest, _ context: CallContext) async throws -> Xinyu_Facilities_V1_Room {
        let id = try SchoolAccess.number(request.roomID, field: "room_id")
        let certified = try CalendarDay.fromRequest(request.certifiedOn, field: "certified_on", default: context.today)
        let expires = try CalendarDay.fromRequest(request.expiresOn, field: "expires_on")
        guard expires > certified else { throw RPCError.invalidField("expires_on", "\(expires) must be after certified_on \(certified)") }
        return try await context.store.write { db in
            guard let room = try RoomRecord.find(db, id: id) else { throw RPCError(.notFound, "field room_id: no room \(request.roomID)") }
            _ = try SchoolAccess.visible(db, id: room.schoolID, field: "room_id", context: context)
            try db.execute(sql: "UPDATE facilities_rooms SET certified_on = ?, expires_on = ?, updated_by = ?, updated_at_ms = ? WHERE id = ?",
                           arguments: [certified.description, expires.description, context.principal.id, context.nowMs, id])
            return try RoomRecord.find(db, id: id)!.message
        }
    }

    @Sendable func list(_ request: Xinyu_Facilities_V1_ListRoomsRequest, _ context: CallContext) async throws -> Xinyu_Facilities_V1_ListRoomsResponse {
        let page = PageRequest(list: "facilities.rooms", filters: [request.schoolID],
                               size: PageRequest.clampedSize(request.limit, default: 100, maximum: 500), token: request.pageToken)
        return try await context.store.read { db in
            var q = KeysetQuery(select: "r.*", from: "facilities_rooms r", orderBy: [.init("r.id", as: "id")])
            let scope = context.scopeFilter(ScopeColumns(school: "r.school_id"))
            q.filter(scope.sql, arguments: scope.arguments)
            if !request.schoolID.isEmpty { q.filter("r.school_id = ?", [request.schoolID]) }
            let found = try q.page(db, page, as: RoomRecord.self).map(\.message)
            var reply = Xinyu_Facilities_V1_ListRoomsResponse()
            reply.rooms = found.items
            reply.nextPageToken = found.nextPageToken
            return reply
        }
    }

    /// Share of the schools in scope with a room whose certification is current today; the
    /// schools without one; certifications that expire within the window; the sub-centres.
    @Sendable func coverage(_ request: Xinyu_Facilities_V1_GetCoverageRequest, _ context: CallContext) async throws -> Xinyu_Facilities_V1_Coverage {
        guard request.withinDays >= 0, request.withinDays <= 366 else { throw RPCError.invalidField("within_days", "\(request.withinDays) must be 0–366") }
        let today = context.today
        let last = today.adding(days: request.withinDays == 0 ? configuration.expiryWarningDays : Int(request.withinDays))
        return try await context.store.read { db in
            let schools = try context.directory.schools(within: context.principal.scopes, in: db)
            let scope = context.scopeFilter(ScopeColumns(school: "r.school_id"))
            let current = try RoomRecord.fetchAll(db, sql: """
                SELECT r.* FROM facilities_rooms r WHERE r.certified_on <> '' AND r.certified_on <= ? AND r.expires_on >= ? AND \(scope.sql)
                ORDER BY r.expires_on, r.id
                """, arguments: [today.description, today.description] + scope.arguments)
            let certified = Set(current.map(\.schoolID))
            var reply = Xinyu_Facilities_V1_Coverage()
            reply.schools = Int32(schools.count)
            reply.certifiedSchools = Int32(schools.filter { certified.contains($0.id) }.count)
            reply.certifiedShare = schools.isEmpty ? 0 : Double(reply.certifiedSchools) / Double(schools.count)
            reply.withoutCertifiedRoom = schools.filter { !certified.contains($0.id) }.map(Self.ref)
            reply.expiring = current.filter { $0.expiresOn <= last.description }.map(\.message)
            reply.subCentres = schools.filter(\.subCentre).map(Self.ref)
            return reply
        }
    }

    static func ref(_ school: DirectorySchool) -> Xinyu_Facilities_V1_SchoolRef {
        var ref = Xinyu_Facilities_V1_SchoolRef()
        ref.schoolID = school.id
        ref.name = school.name
        ref.district = school.district
        ref.subCentre = school.subCentre
        return ref
    }
}
