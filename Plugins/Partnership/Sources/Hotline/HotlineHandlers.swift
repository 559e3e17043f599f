import GRDB
import XinyuPartnershipAPI
import XinyuPluginSDK

/// The city counselling hotline (心理咨询热线): call records, triaged by risk. A high-risk call
/// linked to a student raises a concern in crisis at once (crisis's RaiseConcern, through the
/// host as plugin:partnership), before the call is recorded: if crisis cannot take it, the call
/// fails with crisis's status and nothing is recorded, so the counsellor retries rather than
/// believing the school was told.
struct HotlineHandlers: Sendable {
    static let raiseConcern = "xinyu.crisis.v1.Crisis/RaiseConcern"

    func register(_ s: inout ServiceBuilder) {
        s.unary("RecordHotlineCall", permission: PartnershipPermissions.hotlineWrite, mutates: true, handler: record)
        s.unary("ListHotlineCalls", permission: PartnershipPermissions.hotlineRead, handler: list)
    }

    @Sendable func record(_ request: Xinyu_Partnership_V1_RecordHotlineCallRequest, _ context: CallContext) async throws -> Xinyu_Partnership_V1_HotlineCall {
        let callerKind = try Xinyu_Partnership_V1_CallerKind.storedText(of: request.callerKind, field: "caller_kind")
        let risk = try Xinyu_Partnership_V1_CallRisk.storedText(of: request.risk, field: "risk")
        let topic = try Input.text("topic", request.topic, max: 500)
        let counsellor = try Input.text("counsellor", request.counsellor, max: 100)
        let studentID = try Input.optionalText("student_id", request.studentID, max: 64)
        guard request.atMs >= 0 else { throw RPCError.invalidField("at_ms", "\(request.atMs) is negative") }
        let at = request.atMs > 0 ? request.atMs : context.nowMs
        var schoolID = ""
        if !studentID.isEmpty {
            context.touched(subjects: [studentID])
            guard let student = try await context.store.read({ db in try context.directory.student(studentID, in: db) }) else {
                throw RPCError(.notFound, "field student_id: no student \(studentID)")
            }
            schoolID = student.schoolID
        }
        var concernID = ""
        if request.risk == .high && !studentID.isEmpty {
            var concern = Xinyu_Partnership_V1_CrisisConcernRequest()
            concern.studentID = studentID
            concern.description_p = "心理咨询热线高危来电 (hotline: high-risk call); counsellor \(counsellor)"
            concernID = try await context.call(Self.raiseConcern, concern, as: Xinyu_Partnership_V1_CrisisConcern.self, timeout: .seconds(5)).id
            context.noteForAudit("high-risk hotline call raised crisis concern \(concernID)")
        }
        let school = schoolID
        let concernIDs = concernID
        return try await context.store.write { db in
            try db.execute(sql: """
                INSERT INTO partnership_hotline_calls (at_ms, caller_kind, topic, risk, counsellor, student_id, school_id, concern_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [at, callerKind, topic, risk, counsellor, studentID, school, concernIDs])
            return try Self.call(db, id: db.lastInsertedRowID)!
        }
    }

    @Sendable func list(_ request: Xinyu_Partnership_V1_ListHotlineCallsRequest, _ context: CallContext) async throws -> Xinyu_Partnership_V1_ListHotlineCallsResponse {
        let risk = request.risk == .unspecified ? "" : try Xinyu_Partnership_V1_CallRisk.storedText(of: request.risk, field: "risk")
        let page = PageRequest(list: "partnership.hotline", filters: [risk], size: PageRequest.clampedSize(request.limit, default: 100, maximum: 500), token: request.pageToken)
        return try await context.store.read { db in
            var q = KeysetQuery(select: "h.id", from: "partnership_hotline_calls h", orderBy: [.init("h.at_ms", as: "at"), .init("h.id", as: "id")], descending: true)
            if !risk.isEmpty { q.filter("h.risk = ?", [risk]) }
            let found = try q.page(db, page) { row in row["id"] as Int64 }
            var reply = Xinyu_Partnership_V1_ListHotlineCallsResponse()
            reply.calls = try found.items.compactMap { try Self.call(db, id: $0) }
            reply.nextPageToken = found.nextPageToken
            return reply
        }
    }

    static func call(_ db: Database, id: Int64) throws -> Xinyu_Partnership_V1_HotlineCall? {
        try Row.fetchOne(db, sql: "SELECT * FROM partnership_hotline_calls WHERE id = ?", arguments: [id]).map { row in
            var c = Xinyu_Partnership_V1_HotlineCall()
            c.id = String(row["id"] as Int64)
            c.atMs = row["at_ms"]
            c.callerKind = Xinyu_Partnership_V1_CallerKind(storedText: row["caller_kind"]) ?? .unspecified
            c.topic = row["topic"]
            c.risk = Xinyu_Partnership_V1_CallRisk(storedText: row["risk"]) ?? .unspecified
            c.counsellor = row["counsellor"]
            c.studentID = row["student_id"]
            c.concernID = row["concern_id"]
            return c
        }
    }
}
