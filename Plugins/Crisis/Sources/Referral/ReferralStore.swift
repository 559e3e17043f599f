import GRDB
import XinyuCrisisAPI
import XinyuPluginSDK

/// Referrals (转介) and their outcomes, from a person or from the partnership plugin's events.
enum ReferralStore {
    /// The outcome texts a report may carry (``ReferralStatus/outcomes``).
    static let statuses: Set<String> = Set(ReferralStatus.outcomes.map(\.rawValue))

    static func all(_ db: Database, caseID: Int64) throws -> [Xinyu_Crisis_V1_Referral] {
        try ReferralRecord.fetchAll(db, sql: "SELECT * FROM crisis_referrals WHERE case_id = ? ORDER BY id", arguments: [caseID]).map(\.message)
    }

    /// Records an outcome; the case's event history notes it too.
    static func recordOutcome(_ db: Database, id: Int64, status: String, outcome: String, actor: String, atMs: Int64) throws -> ReferralRecord? {
        guard let before = try ReferralRecord.fetchOne(db, sql: "SELECT * FROM crisis_referrals WHERE id = ?", arguments: [id]) else { return nil }
        try db.execute(sql: "UPDATE crisis_referrals SET status = ?, outcome = ?, updated_at_ms = ? WHERE id = ?", arguments: [status, outcome, atMs, id])
        let caseID = before.caseID
        let tier = try Int.fetchOne(db, sql: "SELECT tier FROM crisis_cases WHERE id = ?", arguments: [caseID]) ?? 0
        try CaseStore.addEvent(db, caseID: caseID, kind: "referral_\(status)", from: tier, to: tier,
                               reason: "referral \(id): \(status)" + (outcome.isEmpty ? "" : " — \(outcome)"), actor: actor, atMs: atMs)
        return try ReferralRecord.fetchOne(db, sql: "SELECT * FROM crisis_referrals WHERE id = ?", arguments: [id])
    }
}
