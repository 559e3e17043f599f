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

    /// Opens the student's case. Detection usually opened it already (or left a "needs a case"
    /// item): OpenCase then takes that case up (or turns the item into the case), and the
    /// assignment deadline keeps running from detection. A second OpenCase is ALREADY_EXISTS.
    @Sendable func open(_ request: Xinyu_Crisis_V1_OpenCaseRequest, _ context: CallContext) async throws -> CaseMessage {
        let reason = try Require.text("reason", request.reason)
        let timings = configuration.timings
        return try await context.store.write { db in
            let student = try StudentFacts.visible(db, id: request.studentID, context: context)
            let level = Int(try LevelStore.current(db, studentID: student.id)?.level ?? 0)
            guard level > 0 else {
                throw RPCError(.failedPrecondition, "student \(student.id) is not at a warning level; set a level (SetWarningLevel) before opening a case")
            }
            let requestedTier: Int?
            switch request.tier {
            case .unspecified: requestedTier = nil
            case .class, .school, .city: requestedTier = request.tier.rawValue
            case .UNRECOGNIZED(let n): throw RPCError.invalidField("tier", "\(n) is not a tier")
            }
            let now = context.nowMs
            if let existing = try CaseStore.openCase(db, studentID: student.id) {
                guard try CaseDetector.takeUp(db, existing, reason: reason, context: context) else {
                    throw RPCError(.alreadyExists, "student \(student.id) already has open case \(existing.id) (one case per student)")
                }
                return try CaseStore.message(db, id: existing.id, nowMs: now)
            }
            if let need = try CaseNeedStore.open(db, studentID: student.id) {
                let id = try CaseStore.insertOpen(
                    db, student: student, level: level, tier: requestedTier ?? need.tier, reason: reason, origin: .detection,
                    detectedAtMs: need.detectedAtMs, dueAtMs: need.dueAtMs, context: context)
                try CaseNeedStore.resolve(db, need, caseID: id, context: context)
                return try CaseStore.message(db, id: id, nowMs: now)
            }
            let tier = requestedTier ?? CaseStore.defaultTier(level: level)
            let due = now + Int64(timings.assignmentMinutes(level: level)) * 60_000
            let id = try CaseStore.insertOpen(db, student: student, level: level, tier: tier, reason: reason, origin: .manual,
                                              detectedAtMs: now, dueAtMs: due, context: context)
            return try CaseStore.message(db, id: id, nowMs: now)
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
