import GRDB
import XinyuCrisisAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// Detection starts the clock (issue 12 §1). Called in the transaction that moved a student's
/// level, whether a screening (single, batch, round import) or a person moved it:
///
/// - at a level owed a case (`[detection] levels`, default 1–2) with no open case, it opens the
///   case at once (or, with `creates = "needs_case"`, a "needs a case" item) whose assignment
///   deadline runs from now, with its durable timer;
/// - with an open case (or item), the case's level follows the student's: a raise moves an
///   unassigned case's assignment deadline to the new level's, counted from now, if sooner.
///
/// Exactly once per detection: it runs inside the level change's transaction (a retried call
/// with the same idempotency key replays the first answer; a repeated submission finds the
/// level unchanged or the case open), and the partial unique indexes allow one open case and
/// one open item per student.
struct CaseDetector: Sendable {
    let configuration: CrisisConfiguration

    /// Reacts to a level change from `from` to `to` (no-op for a confirmation). `cause` is
    /// non-clinical ("screening result 42", "set by staff:P001").
    func levelMoved(_ db: Database, student: StudentFacts, from: Int, to: Int, cause: String, context: CallContext) throws {
        guard from != to else { return }
        let timings = configuration.timings
        if let open = try CaseStore.openCase(db, studentID: student.id) {
            if to > 0 { try follow(db, open, to: to, cause: cause, context: context) }
            return
        }
        if let need = try CaseNeedStore.open(db, studentID: student.id) {
            if to > 0 {
                try CaseNeedStore.follow(db, need, level: to, context: context, timings: timings)
            } else {
                try CaseNeedStore.withdraw(db, need, reason: "removed from the warning database", context: context)
            }
            return
        }
        guard configuration.detection.levels.contains(to) else { return }
        let now = context.nowMs
        let due = now + Int64(timings.assignmentMinutes(level: to)) * 60_000
        let tier = CaseStore.defaultTier(level: to)
        let reason = "level \(to) detected (\(cause)): opened on detection"
        switch configuration.detection.creates {
        case .openCase:
            try CaseStore.insertOpen(db, student: student, level: to, tier: tier, reason: reason, origin: .detection,
                                     detectedAtMs: now, dueAtMs: due, context: context)
        case .needsCase:
            try CaseNeedStore.insert(db, student: student, level: to, tier: tier, reason: "level \(to) detected (\(cause)): needs a case",
                                     dueAtMs: due, context: context)
        }
    }

    /// The open case's level follows the student's. A raise moves an unassigned case's
    /// assignment deadline to the new level's from now when that is sooner (its timer moves
    /// too); a lowering never relaxes a deadline already running.
    private func follow(_ db: Database, _ open: CaseRecord, to level: Int, cause: String, context: CallContext) throws {
        guard open.level != level else { return }
        let now = context.nowMs
        var due = open.assignDueAtMs
        if open.ownerID == nil && (open.level == 0 || level < open.level) {
            due = min(due, now + Int64(configuration.timings.assignmentMinutes(level: level)) * 60_000)
        }
        try db.execute(sql: "UPDATE crisis_cases SET level = ?, assign_due_at_ms = ? WHERE id = ?", arguments: [level, due, open.id])
        if due != open.assignDueAtMs {
            try EscalationTimers.caseDeadlineSet(db, caseID: open.id, dueAtMs: due, tier: open.tier, assigned: false, context: context)
        }
        try CaseStore.addEvent(db, caseID: open.id, kind: "level_changed", from: open.tier, to: open.tier,
                               reason: "level \(open.level) → \(level) (\(cause))", actor: context.principal.id, atMs: now)
    }

    /// OpenCase on a case detection opened: the first such call takes it up (recorded with its
    /// reason, which becomes the case's reason) and answers true; afterwards, and for a case a person opened, false.
    static func takeUp(_ db: Database, _ open: CaseRecord, reason: String, context: CallContext) throws -> Bool {
        guard open.origin == CaseOrigin.detection.rawValue else { return false }
        let taken = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM crisis_case_events WHERE case_id = ? AND kind = 'taken_up')",
                                      arguments: [open.id]) ?? false
        guard !taken else { return false }
        // The person's reason replaces the generated one ("level 1 detected …"), which stays in
        // the case's "opened" event: the case then reads as the psych teacher wrote it.
        if !reason.isEmpty {
            try db.execute(sql: "UPDATE crisis_cases SET reason = ? WHERE id = ?", arguments: [reason, open.id])
        }
        try CaseStore.addEvent(db, caseID: open.id, kind: "taken_up", from: open.tier, to: open.tier, reason: reason,
                               actor: context.principal.id, atMs: context.nowMs)
        return true
    }
}
