import GRDB
import XinyuCrisisAPI
import XinyuPluginSDK

/// Referrals (转介) and their outcomes, from a person or from the partnership plugin's events.
enum ReferralStore {
    /// The outcome texts a report may carry (``ReferralStatus/outcomes``).
    static let statuses: Set<String> = Set(ReferralStatus.outcomes.map(\.rawValue))

    static func message(_ row: Row) -> Xinyu_Crisis_V1_Referral {
        var r = Xinyu_Crisis_V1_Referral()
        r.id = String(row["id"] as Int64)
        r.caseID = String(row["case_id"] as Int64)
        r.studentID = row["student_id"]
        r.agency = row["agency"]
        r.reason = row["reason"]
        r.urgent = row["urgent"]
        r.status = row["status"]
        r.outcome = row["outcome"]
        r.requestedBy = row["requested_by"]
        r.requestedAtMs = row["requested_at_ms"]
        r.updatedAtMs = row["updated_at_ms"]
        r.legalBasis = Xinyu_Crisis_V1_LegalBasis(storedText: row["legal_basis"]) ?? .unspecified
        r.consentBy = row["consent_by"]
        r.consentOn = row["consent_on"]
        r.consentRecord = row["consent_record"]
        r.emergencyReason = row["emergency_reason"]
        return r
    }

    static func all(_ db: Database, caseID: Int64) throws -> [Xinyu_Crisis_V1_Referral] {
        try Row.fetchAll(db, sql: "SELECT * FROM crisis_referrals WHERE case_id = ? ORDER BY id", arguments: [caseID]).map(message)
    }

    /// Records an outcome; the case's event history notes it too.
    static func recordOutcome(_ db: Database, id: Int64, status: String, outcome: String, actor: String, atMs: Int64) throws -> Row? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM crisis_referrals WHERE id = ?", arguments: [id]) else { return nil }
        try db.execute(sql: "UPDATE crisis_referrals SET status = ?, outcome = ?, updated_at_ms = ? WHERE id = ?", arguments: [status, outcome, atMs, id])
        let caseID: Int64 = row["case_id"]
        let tier = try Int.fetchOne(db, sql: "SELECT tier FROM crisis_cases WHERE id = ?", arguments: [caseID]) ?? 0
        try CaseStore.addEvent(db, caseID: caseID, kind: "referral_\(status)", from: tier, to: tier,
                               reason: "referral \(id): \(status)" + (outcome.isEmpty ? "" : " — \(outcome)"), actor: actor, atMs: atMs)
        return try Row.fetchOne(db, sql: "SELECT * FROM crisis_referrals WHERE id = ?", arguments: [id])
    }
}
