import GRDB
import XinyuCrisisAPI
import XinyuEventsAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// OpenCase, AssignCase, EscalateCase, DeescalateCase, GetCase, ListCases.
struct CaseHandlers: Sendable {
    let configuration: CrisisConfiguration

    func register(_ s: inout ServiceBuilder) {
        s.unary("OpenCase", permission: CrisisPermissions.caseWrite, mutates: true, handler: open)
        s.unary("AssignCase", permission: CrisisPermissions.caseWrite, mutates: true, handler: assign)
        s.unary("EscalateCase", permission: CrisisPermissions.caseWrite, mutates: true, handler: escalate)
        s.unary("DeescalateCase", permission: CrisisPermissions.caseWrite, mutates: true, handler: deescalate)
        s.unary("GetCase", permission: CrisisPermissions.caseRead, placement: .eventLoop, handler: get)
        s.unary("ListCases", permission: CrisisPermissions.caseRead, handler: list)
    }

    @Sendable func open(_ request: Xinyu_Crisis_V1_OpenCaseRequest, _ context: CallContext) async throws -> CaseMessage {
        let reason = try Require.text("reason", request.reason)
        let timings = configuration.timings
        return try await context.store.write { db in
            let student = try StudentFacts.visible(db, id: request.studentID, context: context)
            let level = Int(try LevelStore.current(db, studentID: student.id)?.level ?? 0)
            guard level > 0 else {
                throw RPCError(.failedPrecondition, "student \(student.id) is not at a warning level; set a level (SetWarningLevel) before opening a case")
            }
            if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM crisis_cases WHERE student_id = ? AND status = ?",
                                                 arguments: [student.id, CaseStatus.open.requiredStoredText]) {
                throw RPCError(.alreadyExists, "student \(student.id) already has open case \(existing) (one case per student)")
            }
            let tier: Int
            switch request.tier {
            case .unspecified: tier = level == 1 ? 2 : 1
            case .class, .school, .city: tier = request.tier.rawValue
            case .UNRECOGNIZED(let n): throw RPCError.invalidField("tier", "\(n) is not a tier")
            }
            let now = context.nowMs
            let due = now + Int64(timings.assignmentDeadlineMinutes[level] ?? 60) * 60_000
            try db.execute(sql: """
                INSERT INTO crisis_cases (student_id, school_id, class_id, level, tier, status, owner_id, opened_by, opened_at_ms, assign_due_at_ms, reason)
                VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)
                """, arguments: [student.id, student.schoolID, student.classID, level, tier, CaseStatus.open.requiredStoredText, context.principal.id, now, due, reason])
            let id = db.lastInsertedRowID
            try EscalationTimers.caseDeadlineSet(db, caseID: id, dueAtMs: due, tier: tier, assigned: false, context: context)
            try CaseStore.addEvent(db, caseID: id, kind: "opened", from: tier, to: tier, reason: reason, actor: context.principal.id, atMs: now)
            var event = Xinyu_Events_V1_CaseOpened()
            event.caseID = String(id)
            event.studentID = student.id
            event.schoolID = student.schoolID
            event.level = Int32(level)
            event.tier = CaseStore.tierNames[tier] ?? ""
            event.assignDueAtMs = due
            event.openedAtMs = now
            try context.publish(CrisisTopics.caseOpened, event, in: db)
            let row = try Row.fetchOne(db, sql: "SELECT * FROM crisis_cases WHERE id = ?", arguments: [id])!
            return try CaseRecord(row: row).message(nowMs: now)
        }
    }

    @Sendable func assign(_ request: Xinyu_Crisis_V1_AssignCaseRequest, _ context: CallContext) async throws -> CaseMessage {
        let owner = try Require.text("owner_id", request.ownerID, max: 64)
        return try await context.store.write { db in
            let row = try CaseStore.open(db, id: request.caseID, context: context)
            guard try context.directory.staffExists(owner, in: db) else {
                throw RPCError.invalidField("owner_id", "no staff member \(owner)")
            }
            let id: Int64 = row["id"]
            let tier: Int = row["tier"]
            let now = context.nowMs
            try db.execute(sql: "UPDATE crisis_cases SET owner_id = ?, assigned_at_ms = ? WHERE id = ?", arguments: [owner, now, id])
            try EscalationTimers.caseAssigned(db, caseID: id, context: context)
            let reason = request.reason.isEmpty ? "assigned to \(owner)" : "assigned to \(owner): \(request.reason)"
            try CaseStore.addEvent(db, caseID: id, kind: "assigned", from: tier, to: tier, reason: reason, actor: context.principal.id, atMs: now)
            return try CaseRecord.fetchOne(db, sql: "SELECT * FROM crisis_cases WHERE id = ?", arguments: [id])!.message(nowMs: now)
        }
    }

    @Sendable func escalate(_ request: Xinyu_Crisis_V1_ChangeTierRequest, _ context: CallContext) async throws -> CaseMessage {
        try await changeTier(request, by: +1, context: context)
    }

    @Sendable func deescalate(_ request: Xinyu_Crisis_V1_ChangeTierRequest, _ context: CallContext) async throws -> CaseMessage {
        try await changeTier(request, by: -1, context: context)
    }

    private func changeTier(_ request: Xinyu_Crisis_V1_ChangeTierRequest, by step: Int, context: CallContext) async throws -> CaseMessage {
        let reason = try Require.text("reason", request.reason)
        let timings = configuration.timings
        return try await context.store.write { db in
            let row = try CaseStore.open(db, id: request.caseID, context: context)
            let tier: Int = row["tier"]
            let target = tier + step
            guard (1...3).contains(target) else {
                throw RPCError(.failedPrecondition, "case \(request.caseID) is already at the \(CaseStore.tierNames[tier] ?? "") tier")
            }
            try CaseStore.changeTier(db, row: row, to: target, reason: reason, automatic: false, context: context, timings: timings)
            return try CaseRecord.fetchOne(db, sql: "SELECT * FROM crisis_cases WHERE id = ?", arguments: [row["id"] as Int64])!.message(nowMs: context.nowMs)
        }
    }

    @Sendable func get(_ request: Xinyu_Crisis_V1_GetCaseRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_CaseDetail {
        try await context.store.read { db in
            let row = try CaseStore.visible(db, id: request.caseID, context: context)
            let id: Int64 = row["id"]
            var detail = Xinyu_Crisis_V1_CaseDetail()
            detail.case = try CaseRecord(row: row).message(nowMs: context.nowMs)
            detail.events = try CaseStore.events(db, caseID: id)
            detail.hasPlan_p = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM crisis_plans WHERE case_id = ?)", arguments: [id]) ?? false
            detail.approvals = try ApprovalStore.all(db, caseID: id)
            detail.referrals = try ReferralStore.all(db, caseID: id)
            return detail
        }
    }

    @Sendable func list(_ request: Xinyu_Crisis_V1_ListCasesRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_ListCasesResponse {
        let now = context.nowMs
        let filters = [request.schoolID, request.ownerID, String(request.openOnly), String(request.assignmentOverdueOnly)]
        let page = PageRequest(list: "crisis.cases", filters: filters,
                               size: PageRequest.clampedSize(request.limit, default: 200, maximum: 1000), token: request.pageToken)
        return try await context.store.read { db in
            let scope = context.crisisScope("c")
            var query = KeysetQuery(select: "c.*", from: "crisis_cases c", orderBy: [
                .init("c.level", as: "level"), .init("c.opened_at_ms", as: "opened_at_ms"), .init("c.id", as: "id"),
            ])
            query.filter(scope.sql, arguments: scope.arguments)
            if !request.schoolID.isEmpty { query.filter(context.crisisSchoolFilter("c"), [request.schoolID]) }
            if !request.ownerID.isEmpty { query.filter("c.owner_id = ?", [request.ownerID]) }
            if request.openOnly || request.assignmentOverdueOnly { query.filter("c.status = ?", [CaseStatus.open.requiredStoredText]) }
            if request.assignmentOverdueOnly { query.filter("c.owner_id IS NULL AND c.assign_due_at_ms < ?", [now]) }
            let found = try query.page(db, page, as: CaseRecord.self).map { $0.message(nowMs: now) }
            var response = Xinyu_Crisis_V1_ListCasesResponse()
            response.cases = found.items
            response.nextPageToken = found.nextPageToken
            context.touched(subjects: response.cases.map(\.studentID))
            return response
        }
    }
}
