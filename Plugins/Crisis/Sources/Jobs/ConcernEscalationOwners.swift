import Foundation
import GRDB
import XinyuCrisisAPI
import XinyuPluginSDK

/// Whose list an escalated concern lands on. A concern nobody acknowledged in time goes first to
/// the school's psych lead (the school's full-time psych teacher in the directory, lowest staff id
/// first); if the lead has not acknowledged it within another acknowledgement period, or the
/// school has no lead, it moves on to the growth centre (anyone holding crisis.concern.ack with a
/// city-wide scope). Each step is one durable timer, scheduled where the step before is taken.
enum ConcernEscalationOwners {
    /// Fires when an escalated concern has waited on the psych lead's list for its period.
    static let centreDue = "crisis.concern.centre-due"
    /// The directory role that makes a member of staff the school's psych lead.
    static let leadRole = "psych_teacher_full_time"

    static func centreKey(_ id: Int64) -> String { "concern-\(id)-centre" }

    /// The school's psych lead: its full-time psych teacher with the lowest staff id, or nil.
    static func psychLead(ofSchool schoolID: String, in db: Database) throws -> String? {
        try DirectoryReader().staffMembers(ofSchool: schoolID, in: db).first { $0.roles.contains(leadRole) }?.id
    }

    /// Puts a concern that just escalated on its owner's list, in the caller's transaction: the
    /// school's psych lead with a deadline (and timer) of `minutes`, or the growth centre at once.
    static func assign(_ db: Database, concernID: Int64, schoolID: String, minutes: Int, context: CallContext) throws {
        let now = context.nowMs
        if let lead = try psychLead(ofSchool: schoolID, in: db) {
            let due = now + Int64(minutes) * 60_000
            try db.execute(sql: "UPDATE crisis_concerns SET escalated_to = ?, owner_id = ?, centre_due_ms = ? WHERE id = ?",
                           arguments: [ConcernOwner.schoolPsychLead.requiredStoredText, lead, due, concernID])
            try context.schedule(at: Date(timeIntervalSince1970: Double(due) / 1000), topic: centreDue,
                                 payload: ConcernDeadline(concernID: concernID), key: centreKey(concernID), in: db)
        } else {
            try toCentre(db, concernID: concernID, now: now)
        }
    }

    /// The growth centre owns the concern from `now`.
    static func toCentre(_ db: Database, concernID: Int64, now: Int64) throws {
        try db.execute(sql: "UPDATE crisis_concerns SET escalated_to = ?, owner_id = '', centre_escalated_at_ms = ? WHERE id = ?",
                       arguments: [ConcernOwner.growthCentre.requiredStoredText, now, concernID])
    }

    /// The concern was acknowledged (or given an outcome): nothing will move it on.
    static func cancel(_ db: Database, concernID: Int64, context: CallContext) throws {
        try context.cancelTimer(key: centreKey(concernID), in: db)
    }

    /// The psych lead did not acknowledge in time: the concern moves to the growth centre's list.
    /// One transaction with the timer's fired mark; a concern acknowledged meanwhile stays put.
    @Sendable static func moveToCentre(_ timer: ConcernDeadline, _ info: TimerInfo, _ context: CallContext) async throws {
        let now = context.nowMs
        let moved = try await context.store.write { db -> Bool in
            guard let row = try Row.fetchOne(db, sql: "SELECT status, escalated_to, centre_due_ms FROM crisis_concerns WHERE id = ?", arguments: [timer.concernID]),
                  ConcernStatus(storedText: row["status"]) == .escalated,
                  ConcernOwner(storedText: row["escalated_to"]) == .schoolPsychLead else { return false }
            let due: Int64 = row["centre_due_ms"]
            guard due <= now else {
                try context.schedule(at: Date(timeIntervalSince1970: Double(due) / 1000), topic: centreDue,
                                     payload: ConcernDeadline(concernID: timer.concernID), key: centreKey(timer.concernID), in: db)
                return false
            }
            try toCentre(db, concernID: timer.concernID, now: now)
            return true
        }
        if moved { context.logger.notice("moved an unacknowledged concern to the growth centre", metadata: ["concern": "\(timer.concernID)"]) }
    }
}
