import GRDB
import XinyuCrisisAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// SavePlan and GetPlan: one intervention plan per case (一人一表).
struct PlanHandlers: Sendable {
    func register(_ s: inout ServiceBuilder) {
        s.unary("SavePlan", permission: CrisisPermissions.caseWrite, mutates: true, handler: save)
        s.unary("GetPlan", permission: CrisisPermissions.caseRead, placement: .eventLoop, handler: get)
    }

    /// Saves (or revises) the plan, replaces the follow-ups not yet held with a fresh schedule,
    /// and asks for supervisor approval: a revised plan needs approving again.
    @Sendable func save(_ request: Xinyu_Crisis_V1_SavePlanRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_Plan {
        let goals = try request.goals.enumerated().map { try Require.text("goals[\($0.offset)]", $0.element) }
        guard !goals.isEmpty else { throw RPCError.invalidField("goals", "at least one goal is required") }
        guard !request.measures.isEmpty else { throw RPCError.invalidField("measures", "at least one measure is required") }
        let measures = try request.measures.enumerated().map { index, m in
            (description: try Require.text("measures[\(index)].description", m.description_p),
             responsible: try Require.text("measures[\(index)].responsible_id", m.responsibleID, max: 64))
        }
        let start = try CalendarDay.fromRequest(request.followUpStart, field: "follow_up_start")
        let interval = try Require.range("follow_up_interval_days", request.followUpIntervalDays, 1...90)
        let count = try Require.range("follow_up_count", request.followUpCount, 1...52)
        return try await context.store.write { db in
            let row = try CaseStore.open(db, id: request.caseID, context: context)
            for (index, m) in measures.enumerated() {
                guard try context.directory.staffExists(m.responsible, in: db) else {
                    throw RPCError.invalidField("measures[\(index)].responsible_id", "no staff member \(m.responsible)")
                }
            }
            let caseID: Int64 = row["id"]
            let now = context.nowMs
            try db.execute(sql: """
                INSERT INTO crisis_plans (case_id, goals, measures, status, updated_by, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (case_id) DO UPDATE SET goals = excluded.goals, measures = excluded.measures, status = excluded.status,
                    updated_by = excluded.updated_by, updated_at_ms = excluded.updated_at_ms, approved_by = ''
                """, arguments: [caseID, JSONText.strings(goals), JSONText.measures(measures), PlanStatus.pendingApproval.requiredStoredText, context.principal.id, now])
            try db.execute(sql: "DELETE FROM crisis_follow_ups WHERE case_id = ? AND origin = ? AND done_on = ''",
                           arguments: [caseID, FollowUpOrigin.plan.requiredStoredText])
            let student = StudentFacts(id: row["student_id"], schoolID: row["school_id"], classID: row["class_id"])
            // The schedule starts after its base day; the plan's start is the first follow-up itself.
            try FollowUpStore.schedule(db, caseID: caseID, student: student,
                                       dates: FollowUpSchedule.dates(start: start.adding(days: -interval), intervalDays: interval, count: count), origin: .plan)
            let version = try PlanRevisionStore.saved(
                db, caseID: caseID, goals: goals, measures: measures,
                schedule: PlanSchedule(start: start.description, intervalDays: interval, count: count), context: context)
            try ApprovalStore.request(db, caseID: caseID, student: student, subject: .plan, reason: "plan saved (version \(version))",
                                      planVersion: version, context: context)
            return try Self.plan(db, caseID: caseID, context: context)
        }
    }

    @Sendable func get(_ request: Xinyu_Crisis_V1_GetPlanRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_Plan {
        try await context.store.read { db in
            let row = try CaseStore.visible(db, id: request.caseID, context: context)
            return try Self.plan(db, caseID: row["id"], context: context)
        }
    }

    /// The whole plan. A caller without crisis.clinical.read (e.g. a class teacher) gets it
    /// through `ClinicalRedaction`, like every reply: that a plan exists and the measures they
    /// are responsible for, not the goals.
    static func plan(_ db: Database, caseID: Int64, context: CallContext) throws -> Xinyu_Crisis_V1_Plan {
        guard let record = try PlanRecord.fetchOne(db, sql: "SELECT * FROM crisis_plans WHERE case_id = ?", arguments: [caseID]) else {
            throw RPCError(.notFound, "case \(caseID) has no plan yet")
        }
        return record.message(full: true, staffID: context.staffID,
                              followUps: try FollowUpStore.forCase(db, caseID: caseID))
    }
}
