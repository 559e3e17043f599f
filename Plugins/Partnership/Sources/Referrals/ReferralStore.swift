import GRDB
import XinyuEventsAPI
import XinyuPartnershipAPI
import XinyuPartnershipCore
import XinyuPluginSDK

/// The writes every referral step shares: the change row `WatchReferrals` reads (with the
/// referral as it stood after the step) and, for a status change, the report back to crisis.
enum ReferralStore {
    /// The durable timer that fires when an agency's answer is due.
    static func responseTimerKey(_ id: String) -> String { "referral-\(id)-response" }

    /// Records that `referral` (already updated in `db`) changed: one change row, and, when the
    /// status moved, `partnership.referral.updated` for crisis's archive, in the same transaction.
    static func recordChange(_ db: Database, id: String, actor: String, atMs: Int64, statusChanged: Bool, context: CallContext) throws -> ReferralRecord {
        guard let after = try ReferralRecord.find(db, id: id) else { throw RPCError(.notFound, "referral \(id) not found") }
        try db.execute(sql: """
            INSERT INTO partnership_referral_changes (referral_id, agency_id, school_id, student_id, status, actor, at_ms, snapshot)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, after.agencyID, after.schoolID, after.studentID, after.status, actor, atMs, try after.message.serializedData()])
        if statusChanged && after.state != .requested {
            var event = Xinyu_Events_V1_ReferralUpdated()
            event.referralID = id
            event.studentID = after.studentID
            event.status = after.status
            event.outcome = summary(after)
            event.agency = after.agencyID
            event.updatedAtMs = atMs
            try context.publish(PartnershipTopics.referralUpdated, event, in: db)
        }
        return after
    }

    /// What the school may know of a step, for crisis's archive: no diagnosis, no clinical detail.
    static func summary(_ r: ReferralRecord) -> String {
        switch r.state {
        case .requested, .accepted, .inTreatment: return r.outcome
        case .declined: return "declined: \(r.reasonCode)"
        case .appointmentBooked: return "appointment \(r.appointmentAt) at \(r.appointmentPlace)"
        case .completed:
            let head = r.successful ? "successful" : "not successful: \(r.reasonCode)"
            return r.outcome.isEmpty ? head : "\(head) — \(r.outcome)"
        case .revoked, .withdrawn: return r.outcome
        }
    }
}
