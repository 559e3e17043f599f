import Foundation
import GRDB
import XinyuCrisisAPI
import XinyuEventsAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// The payload of a case's assignment-deadline timer.
struct CaseDeadline: Codable, Sendable {
    let caseID: Int64
}

/// The payload of a concern's acknowledgement-deadline timer.
struct ConcernDeadline: Codable, Sendable {
    let concernID: Int64
}

/// Makes sure nothing waits unseen, with one durable timer per deadline (no polling): a case
/// nobody took in time moves up a tier (class → school → city), a concern nobody acknowledged
/// in time is escalated. The timer is scheduled where the deadline is set (case opened, tier
/// changed, concern raised), in the same transaction, and cancelled where it is met or moot
/// (case assigned or closed, concern acknowledged). Overdue reviews and follow-ups are computed when asked for.
struct EscalationTimers: Sendable {
    let configuration: CrisisConfiguration
    /// Fires when an unassigned case's assignment deadline passes.
    static let caseAssignmentDue = "crisis.case.assignment-due"
    /// Fires when an open concern's acknowledgement deadline passes.
    static let concernAcknowledgementDue = "crisis.concern.acknowledgement-due"

    static func caseKey(_ id: Int64) -> String { "case-\(id)-assignment" }
    static func concernKey(_ id: Int64) -> String { "concern-\(id)-acknowledgement" }

    func register(_ registry: inout ServiceRegistry) {
        registry.onTimer(Self.caseAssignmentDue, as: CaseDeadline.self, handler: escalateCase)
        registry.onTimer(Self.concernAcknowledgementDue, as: ConcernDeadline.self, handler: escalateConcern)
        registry.onTimer(ConcernEscalationOwners.centreDue, as: ConcernDeadline.self, handler: ConcernEscalationOwners.moveToCentre)
        registry.atStart("schedule-missing-deadline-timers", handler: scheduleMissingTimers)
    }

    // MARK: Where deadlines are set and met

    /// Sets the case's assignment timer to its deadline, or cancels it when nothing will
    /// escalate (an owner is assigned, or the case is at the city tier, which is the top).
    static func caseDeadlineSet(_ db: Database, caseID: Int64, dueAtMs: Int64, tier: Int, assigned: Bool, context: CallContext) throws {
        if assigned || tier >= 3 {
            try context.cancelTimer(key: caseKey(caseID), in: db)
        } else {
            try context.schedule(at: date(dueAtMs), topic: caseAssignmentDue, payload: CaseDeadline(caseID: caseID), key: caseKey(caseID), in: db)
        }
    }

    /// The case has an owner: its assignment deadline is met.
    static func caseAssigned(_ db: Database, caseID: Int64, context: CallContext) throws {
        try context.cancelTimer(key: caseKey(caseID), in: db)
    }

    /// The case was closed: nothing about it will escalate any more.
    static func caseClosed(_ db: Database, caseID: Int64, context: CallContext) throws {
        try context.cancelTimer(key: caseKey(caseID), in: db)
    }

    /// A concern was raised with an acknowledgement deadline.
    static func concernRaised(_ db: Database, concernID: Int64, dueAtMs: Int64, context: CallContext) throws {
        try context.schedule(at: date(dueAtMs), topic: concernAcknowledgementDue, payload: ConcernDeadline(concernID: concernID), key: concernKey(concernID), in: db)
    }

    /// The concern was acknowledged: its deadline is met.
    static func concernAcknowledged(_ db: Database, concernID: Int64, context: CallContext) throws {
        try context.cancelTimer(key: concernKey(concernID), in: db)
        try ConcernEscalationOwners.cancel(db, concernID: concernID, context: context)
    }

    // MARK: Timer handlers

    /// An open, unassigned case past its deadline goes up one tier with the reason recorded and
    /// `crisis.case.escalated` published; its deadline (and timer) restarts at the new tier. At
    /// the city tier it stays on the overdue list. One transaction with the timer's fired mark.
    @Sendable func escalateCase(_ timer: CaseDeadline, _ info: TimerInfo, _ context: CallContext) async throws {
        let timings = configuration.timings
        let escalated = try await context.store.write { db -> Bool in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM crisis_cases WHERE id = ?", arguments: [timer.caseID]),
                  CaseStatus(storedText: row["status"]) == .open, (row["owner_id"] as String?) == nil, (row["tier"] as Int) < 3 else { return false }
            let due: Int64 = row["assign_due_at_ms"]
            guard due <= context.nowMs else {
                // The deadline moved without its timer: follow it.
                try Self.caseDeadlineSet(db, caseID: timer.caseID, dueAtMs: due, tier: row["tier"], assigned: false, context: context)
                return false
            }
            let level: Int = row["level"]
            let minutes = timings.assignmentDeadlineMinutes[level] ?? 60
            let reason = "no owner assigned within \(minutes) minutes (level \(level)): escalated automatically"
            try CaseStore.changeTier(db, row: row, to: (row["tier"] as Int) + 1, reason: reason, automatic: true, context: context, timings: timings)
            return true
        }
        if escalated { context.logger.notice("escalated an unassigned case", metadata: ["case": "\(timer.caseID)"]) }
    }

    /// An open concern past its acknowledgement time becomes "escalated" (shown to school and
    /// city staff as unacknowledged), with the time recorded, lands on its owner's list (the
    /// school's psych lead, then the growth centre: `ConcernEscalationOwners`), and
    /// `crisis.concern.escalated` is published in the same transaction so other plugins
    /// (notifications, home–school) act on it.
    @Sendable func escalateConcern(_ timer: ConcernDeadline, _ info: TimerInfo, _ context: CallContext) async throws {
        let now = context.nowMs
        let escalated = try await context.store.write { db -> Bool in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT id, student_id, school_id, class_id, raised_by, raised_at_ms, acknowledge_due_ms, status
                FROM crisis_concerns WHERE id = ?
                """, arguments: [timer.concernID]), ConcernStatus(storedText: row["status"]) == .open else { return false }
            let due: Int64 = row["acknowledge_due_ms"]
            guard due <= now else {
                try Self.concernRaised(db, concernID: timer.concernID, dueAtMs: due, context: context)
                return false
            }
            try db.execute(sql: "UPDATE crisis_concerns SET status = ?, escalated_at_ms = ? WHERE id = ?",
                           arguments: [ConcernStatus.escalated.requiredStoredText, now, timer.concernID])
            try ConcernEscalationOwners.assign(db, concernID: timer.concernID, schoolID: row["school_id"],
                                               minutes: configuration.timings.concernAcknowledgeMinutes, context: context)
            var event = Xinyu_Events_V1_ConcernEscalated()
            event.concernID = String(timer.concernID)
            event.studentID = row["student_id"]
            event.schoolID = row["school_id"]
            event.classID = row["class_id"]
            event.raisedBy = row["raised_by"]
            event.raisedAtMs = row["raised_at_ms"]
            event.acknowledgeDueMs = due
            event.escalatedAtMs = now
            try context.publish(CrisisTopics.concernEscalated, event, in: db)
            return true
        }
        if escalated { context.logger.notice("escalated an unacknowledged concern", metadata: ["concern": "\(timer.concernID)"]) }
    }

    // MARK: Upgrade

    /// Cases and concerns written before deadlines had timers (an upgraded database) get one at
    /// start-up; an overdue one fires at once. Runs at every start and finds nothing to do
    /// once every open deadline has its timer.
    @Sendable func scheduleMissingTimers(_ context: CallContext) async throws {
        let count = try await context.store.write { db -> Int in
            var scheduled = 0
            let cases = try Row.fetchAll(db, sql: """
                SELECT id, assign_due_at_ms, tier FROM crisis_cases WHERE status = ? AND owner_id IS NULL AND tier < 3
                """, arguments: [CaseStatus.open.requiredStoredText])
            for row in cases where try context.pendingTimer(key: Self.caseKey(row["id"]), in: db) == nil {
                try Self.caseDeadlineSet(db, caseID: row["id"], dueAtMs: row["assign_due_at_ms"], tier: row["tier"], assigned: false, context: context)
                scheduled += 1
            }
            let concerns = try Row.fetchAll(db, sql: "SELECT id, acknowledge_due_ms FROM crisis_concerns WHERE status = ?",
                                         arguments: [ConcernStatus.open.requiredStoredText])
            for row in concerns where try context.pendingTimer(key: Self.concernKey(row["id"]), in: db) == nil {
                try Self.concernRaised(db, concernID: row["id"], dueAtMs: row["acknowledge_due_ms"], context: context)
                scheduled += 1
            }
            return scheduled
        }
        if count > 0 { context.logger.notice("scheduled deadline timers for earlier cases and concerns", metadata: ["count": "\(count)"]) }
    }

    private static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }
}
