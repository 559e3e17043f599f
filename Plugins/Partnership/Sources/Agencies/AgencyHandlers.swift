import GRDB
import XinyuPartnershipAPI
import XinyuPartnershipCore
import XinyuPluginSDK

/// Agencies (联防单位), their signed agreements (签约) and joint stations at schools.
struct AgencyHandlers: Sendable {
    let configuration: PartnershipConfiguration

    func register(_ s: inout ServiceBuilder) {
        s.unary("CreateAgency", permission: PartnershipPermissions.write, mutates: true, handler: createAgency)
        s.unary("ListAgencies", permission: PartnershipPermissions.read, handler: listAgencies)
        s.unary("SignAgreement", permission: PartnershipPermissions.write, mutates: true, handler: signAgreement)
        s.unary("ListAgreements", permission: PartnershipPermissions.read, handler: listAgreements)
        s.unary("CreateJointStation", permission: PartnershipPermissions.write, mutates: true, handler: createStation)
        s.unary("ListJointStations", permission: PartnershipPermissions.read, handler: listStations)
    }

    @Sendable func createAgency(_ request: Xinyu_Partnership_V1_CreateAgencyRequest, _ context: CallContext) async throws -> Xinyu_Partnership_V1_Agency {
        let id = try Input.slug("id", request.id)
        let kind = try Xinyu_Partnership_V1_AgencyKind.storedText(of: request.kind, field: "kind")
        let name = try Input.text("name", request.name, max: 200)
        let contacts = try request.contacts.enumerated().map { try Input.text("contacts[\($0.offset)]", $0.element, max: 200) }
        return try await context.store.write { db in
            guard try AgencyRecord.find(db, id: id) == nil else { throw RPCError(.alreadyExists, "field id: agency \(id) already exists") }
            try db.execute(sql: "INSERT INTO partnership_agencies (id, kind, name, contacts, created_at_ms) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, kind, name, JSONList.encode(contacts), context.nowMs])
            return try AgencyRecord.required(db, id: id).message
        }
    }

    @Sendable func listAgencies(_ request: Xinyu_Partnership_V1_ListAgenciesRequest, _ context: CallContext) async throws -> Xinyu_Partnership_V1_ListAgenciesResponse {
        let kind = request.kind == .unspecified ? "" : try Xinyu_Partnership_V1_AgencyKind.storedText(of: request.kind, field: "kind")
        let page = PageRequest(list: "partnership.agencies", filters: [kind], size: PageRequest.clampedSize(request.limit, default: 100, maximum: 500), token: request.pageToken)
        return try await context.store.read { db in
            var q = KeysetQuery(select: "a.*", from: "partnership_agencies a", orderBy: [.init("a.id", as: "id")])
            if !kind.isEmpty { q.filter("a.kind = ?", [kind]) }
            let found = try q.page(db, page, as: AgencyRecord.self)
            var reply = Xinyu_Partnership_V1_ListAgenciesResponse()
            reply.agencies = found.items.map(\.message)
            reply.nextPageToken = found.nextPageToken
            return reply
        }
    }

    @Sendable func signAgreement(_ request: Xinyu_Partnership_V1_SignAgreementRequest, _ context: CallContext) async throws -> Xinyu_Partnership_V1_Agreement {
        let agency = try Input.slug("agency_id", request.agencyID)
        let signed = try CalendarDay.fromRequest(request.signedOn, field: "signed_on", default: context.today)
        guard let expires = CalendarDay(request.expiresOn) else {
            throw RPCError.invalidField("expires_on", request.expiresOn.isEmpty ? "is required" : "\"\(request.expiresOn)\" is not a date (use YYYY-MM-DD)")
        }
        guard signed < expires else { throw RPCError.invalidField("expires_on", "\(expires) is not after signed_on \(signed)") }
        let scope = try Input.text("scope", request.scope, max: 500)
        let purposes = try request.purposes.enumerated().map { try Input.slug("purposes[\($0.offset + 1)]", $0.element) }
        let today = context.today
        return try await context.store.write { db in
            _ = try AgencyRecord.required(db, id: agency)
            try db.execute(sql: "INSERT INTO partnership_agreements (agency_id, signed_on, expires_on, scope, purposes) VALUES (?, ?, ?, ?, ?)",
                           arguments: [agency, signed.description, expires.description, scope, JSONList.encode(purposes)])
            let id = db.lastInsertedRowID
            return try AgreementRecord.fetchOne(db, sql: "SELECT * FROM partnership_agreements WHERE id = ?", arguments: [id])!.message(today: today)
        }
    }

    /// With `expiring_within_days` only agreements that have not expired and expire within that
    /// window, soonest first: the growth centre's renewal list (default window in the settings).
    @Sendable func listAgreements(_ request: Xinyu_Partnership_V1_ListAgreementsRequest, _ context: CallContext) async throws -> Xinyu_Partnership_V1_ListAgreementsResponse {
        guard request.expiringWithinDays >= 0, request.expiringWithinDays <= 3660 else {
            throw RPCError.invalidField("expiring_within_days", "\(request.expiringWithinDays) is outside 0–3660")
        }
        let today = context.today
        let window = request.expiringWithinDays > 0 ? Int(request.expiringWithinDays) : request.expiringSoon ? configuration.agreementWarningDays : 0
        return try await context.store.read { db in
            var sql = "SELECT * FROM partnership_agreements WHERE 1"
            var arguments: StatementArguments = []
            if !request.agencyID.isEmpty { sql += " AND agency_id = ?"; arguments += [request.agencyID] }
            if window > 0 {
                sql += " AND expires_on >= ? AND expires_on <= ?"
                arguments += [today.description, today.adding(days: window).description]
            }
            var reply = Xinyu_Partnership_V1_ListAgreementsResponse()
            reply.agreements = try AgreementRecord.fetchAll(db, sql: sql + " ORDER BY expires_on, id", arguments: arguments).map { $0.message(today: today) }
            return reply
        }
    }

    @Sendable func createStation(_ request: Xinyu_Partnership_V1_CreateJointStationRequest, _ context: CallContext) async throws -> Xinyu_Partnership_V1_JointStation {
        let kind = try Xinyu_Partnership_V1_StationKind.storedText(of: request.kind, field: "kind")
        let agency = try Input.slug("agency_id", request.agencyID)
        let schoolID = try Input.text("school_id", request.schoolID, max: 64)
        let name = try Input.text("name", request.name, max: 200)
        let opened = try CalendarDay.fromRequest(request.openedOn, field: "opened_on", default: context.today)
        return try await context.store.write { db in
            _ = try AgencyRecord.required(db, id: agency)
            guard try context.directory.school(schoolID, in: db) != nil else { throw RPCError(.notFound, "field school_id: no school \(schoolID)") }
            try db.execute(sql: "INSERT INTO partnership_stations (kind, agency_id, school_id, name, opened_on) VALUES (?, ?, ?, ?, ?)",
                           arguments: [kind, agency, schoolID, name, opened.description])
            return try StationRecord.fetchOne(db, sql: "SELECT * FROM partnership_stations WHERE id = ?", arguments: [db.lastInsertedRowID])!.message
        }
    }

    @Sendable func listStations(_ request: Xinyu_Partnership_V1_ListJointStationsRequest, _ context: CallContext) async throws -> Xinyu_Partnership_V1_ListJointStationsResponse {
        try await context.store.read { db in
            var sql = "SELECT * FROM partnership_stations WHERE 1"
            var arguments: StatementArguments = []
            if !request.schoolID.isEmpty { sql += " AND school_id = ?"; arguments += [request.schoolID] }
            if !request.agencyID.isEmpty { sql += " AND agency_id = ?"; arguments += [request.agencyID] }
            var reply = Xinyu_Partnership_V1_ListJointStationsResponse()
            reply.stations = try StationRecord.fetchAll(db, sql: sql + " ORDER BY id", arguments: arguments).map(\.message)
            return reply
        }
    }
}
