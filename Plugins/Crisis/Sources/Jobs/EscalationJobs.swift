import GRDB
import XinyuCrisisAPI
import XinyuEventsAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// The periodic jobs that make sure nothing waits unseen: a case nobody took in time moves up a
/// tier (class → school → city), a concern nobody acknowledged in time is escalated. Overdue
/// reviews and follow-ups are computed when asked for, from their due dates.
struct EscalationJobs: Sendable {
    let configuration: CrisisConfiguration
    static let unassignedCases = "escalate-unassigned-cases"
    static let unacknowledgedConcerns = "escalate-unacknowledged-concerns"

    func register(_ registry: inout ServiceRegistry) {
        registry.every(.seconds(30), Self.unassignedCases, handler: escalateUnassigned)
        registry.every(.seconds(30), Self.unacknowledgedConcerns, handler: escalateConcerns)
    }

    /// Each open, unassigned case past its deadline goes up one tier with the reason recorded
    /// and `crisis.case.escalated` published; its deadline restarts at the new tier. At the city
    /// tier it stays on the overdue list. One transaction: a crash escalates all or none.
    @Sendable func escalateUnassigned(_ context: CallContext) async throws {
        let timings = configuration.timings
        let count = try await context.store.write { db -> Int in
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM crisis_cases WHERE status = 'open' AND owner_id IS NULL AND assign_due_at_ms <= ? AND tier < 3
                """, arguments: [context.nowMs])
            for row in rows {
                let level: Int = row["level"]
                let minutes = timings.assignmentDeadlineMinutes[level] ?? 60
                let reason = "no owner assigned within \(minutes) minutes (level \(level)): escalated automatically"
                try CaseStore.changeTier(db, row: row, to: (row["tier"] as Int) + 1, reason: reason, automatic: true, context: context, timings: timings)
            }
            return rows.count
        }
        if count > 0 { context.logger.notice("escalated unassigned cases", metadata: ["count": "\(count)"]) }
    }

    /// Open concerns past their acknowledgement time become "escalated" (shown to school and
    /// city staff as unacknowledged), with the time recorded, and `crisis.concern.escalated` is
    /// published in the same transaction so other plugins (notifications, home–school) act on it.
    @Sendable func escalateConcerns(_ context: CallContext) async throws {
        let now = context.nowMs
        let count = try await context.store.write { db -> Int in
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, student_id, school_id, class_id, raised_by, raised_at_ms, acknowledge_due_ms
                FROM crisis_concerns WHERE status = 'open' AND acknowledge_due_ms <= ?
                """, arguments: [now])
            for row in rows {
                let id: Int64 = row["id"]
                try db.execute(sql: "UPDATE crisis_concerns SET status = 'escalated', escalated_at_ms = ? WHERE id = ?", arguments: [now, id])
                var event = Xinyu_Events_V1_ConcernEscalated()
                event.concernID = String(id)
                event.studentID = row["student_id"]
                event.schoolID = row["school_id"]
                event.classID = row["class_id"]
                event.raisedBy = row["raised_by"]
                event.raisedAtMs = row["raised_at_ms"]
                event.acknowledgeDueMs = row["acknowledge_due_ms"]
                event.escalatedAtMs = now
                try context.publish(CrisisTopics.concernEscalated, event, in: db)
            }
            return rows.count
        }
        if count > 0 { context.logger.notice("escalated unacknowledged concerns", metadata: ["count": "\(count)"]) }
    }
}
