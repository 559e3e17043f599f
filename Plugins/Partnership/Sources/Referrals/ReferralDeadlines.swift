import GRDB
import XinyuPluginSDK

/// When an agency has not answered a referral by its deadline, the referral is marked overdue
/// (listed by ListOverdueReferrals for the growth centre and sent to watchers).
struct ReferralDeadlines: Sendable {
    let changes: ReferralChangeBell

    func register(_ registry: inout ServiceRegistry) {
        let changes = self.changes
        registry.onTimer(PartnershipTopics.responseDue, as: ResponseDue.self) { due, info, context in
            let marked = try await context.store.write { db -> Bool in
                guard let referral = try ReferralRecord.find(db, id: due.referralID), referral.state == .requested, !referral.overdue else { return false }
                try db.execute(sql: "UPDATE partnership_referrals SET overdue = 1, version = version + 1, updated_at_ms = ? WHERE id = ?",
                               arguments: [context.nowMs, due.referralID])
                _ = try ReferralStore.recordChange(db, id: due.referralID, actor: "plugin:partnership", atMs: context.nowMs, statusChanged: false, context: context)
                return true
            }
            if marked { await changes.ring() }
        }
    }
}
