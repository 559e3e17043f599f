import GRDB
import XinyuPartnershipAPI
import XinyuPluginSDK

/// A hospital's diagnosis summary and return-to-school recommendations (复学建议). Only the
/// hospital the referral was made to writes one; only psych staff and the growth centre
/// (`partnership.clinical.read`) read it. Crisis's archive never receives it.
struct ClinicalSummaryHandlers: Sendable {
    func register(_ s: inout ServiceBuilder) {
        s.unary("AddClinicalSummary", permission: PartnershipPermissions.referralWrite, mutates: true, handler: add)
        s.unary("GetClinicalSummary", permission: PartnershipPermissions.clinicalRead, handler: get)
    }

    @Sendable func add(_ request: Xinyu_Partnership_V1_AddClinicalSummaryRequest, _ context: CallContext) async throws -> Xinyu_Partnership_V1_ClinicalSummary {
        guard context.principal.kind == .agency, context.principal.agencyKind == "hospital" else {
            throw RPCError(.permissionDenied, "only the hospital a referral was made to adds a diagnosis summary; \(context.principal.id) is not a hospital")
        }
        let diagnosis = try Input.text("diagnosis_summary", request.diagnosisSummary, max: 4000)
        let recommendations = try Input.optionalText("return_recommendations", request.returnRecommendations, max: 4000)
        return try await context.store.write { db in
            let referral = try ReferralHandlers.visible(db, id: request.referralID, context: context)
            context.touched(subjects: [referral.studentID])
            try db.execute(sql: """
                INSERT INTO partnership_clinical_summaries (referral_id, diagnosis_summary, return_recommendations, written_by, written_at_ms)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (referral_id) DO UPDATE SET diagnosis_summary = excluded.diagnosis_summary,
                    return_recommendations = excluded.return_recommendations, written_by = excluded.written_by, written_at_ms = excluded.written_at_ms
                """, arguments: [referral.id, diagnosis, recommendations, context.principal.id, context.nowMs])
            return try Self.summary(db, id: referral.id)!
        }
    }

    @Sendable func get(_ request: Xinyu_Partnership_V1_GetClinicalSummaryRequest, _ context: CallContext) async throws -> Xinyu_Partnership_V1_ClinicalSummary {
        try await context.store.read { db in
            let referral = try ReferralHandlers.visible(db, id: request.referralID, context: context)
            context.touched(subjects: [referral.studentID])
            guard let summary = try Self.summary(db, id: referral.id) else {
                throw RPCError(.notFound, "referral \(referral.id) has no diagnosis summary yet")
            }
            return summary
        }
    }

    static func summary(_ db: Database, id: String) throws -> Xinyu_Partnership_V1_ClinicalSummary? {
        try Row.fetchOne(db, sql: "SELECT * FROM partnership_clinical_summaries WHERE referral_id = ?", arguments: [id]).map { row in
            var s = Xinyu_Partnership_V1_ClinicalSummary()
            s.referralID = row["referral_id"]
            s.diagnosisSummary = row["diagnosis_summary"]
            s.returnRecommendations = row["return_recommendations"]
            s.writtenBy = row["written_by"]
            s.writtenAtMs = row["written_at_ms"]
            return s
        }
    }
}
