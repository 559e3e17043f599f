import GRDB
import XinyuCrisisAPI
import XinyuEventsAPI
import XinyuPluginSDK

/// RequestReferral, RecordReferralOutcome, and the partnership plugin's referral updates.
struct ReferralHandlers: Sendable {
    func register(_ s: inout ServiceBuilder) {
        s.unary("RequestReferral", permission: CrisisPermissions.referralWrite, mutates: true, handler: request)
        s.unary("RecordReferralOutcome", permission: CrisisPermissions.referralOutcome, mutates: true, handler: outcome)
    }

    func subscribe(_ registry: inout ServiceRegistry) {
        registry.subscribe(CrisisTopics.referralUpdated, as: Xinyu_Events_V1_ReferralUpdated.self) { event, info, context in
            guard let id = Int64(event.referralID), ReferralStatus.partnershipSteps.contains(event.status) else {
                // Not ours or not understood: acknowledged and ignored rather than retried forever.
                context.logger.warning("ignored a referral update it cannot apply", metadata: ["event": "\(info.eventID)"])
                return
            }
            let at = event.updatedAtMs > 0 ? event.updatedAtMs : info.recordedAtMs
            try await context.store.write { db in
                guard let referral = try ReferralStore.recordOutcome(db, id: id, status: event.status, outcome: event.outcome,
                                                                actor: "agency:\(event.agency)", atMs: at) else { return }
                try db.execute(sql: "INSERT INTO crisis_external_entries (student_id, kind, at_ms, summary, ref) VALUES (?, 'referral', ?, ?, ?)",
                               arguments: [referral.studentID, at, "referral \(id): \(event.status)", "referral:\(id)"])
            }
        }
    }

    /// Opens a referral. The student's data leaves the school only with a recorded legal basis:
    /// the guardian's consent (who, when, where it is kept) or an emergency to protect life and
    /// health (why), which is also noted in the audit trail.
    @Sendable func request(_ request: Xinyu_Crisis_V1_RequestReferralRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_Referral {
        let agency = try Require.text("agency", request.agency, max: 128)
        let reason = try Require.text("reason", request.reason)
        // Guardian consent comes from homeschool's consent registry when it is enabled (ConsentRegistry.swift).
        var registered: LegalBasisCheck.Basis? = nil
        if request.legalBasis == .guardianConsent {
            let studentID: String = try await context.store.read { db in try CaseStore.open(db, id: request.caseID, context: context)["student_id"] }
            registered = try await ConsentRegistry.basis(studentID: studentID, agency: agency, context: context)
        }
        let basis = try registered ?? LegalBasisCheck.validate(request, today: context.today)
        try await AgreementRegistry.requireAgreement(agency: agency, context: context)   // AgreementRegistry.swift
        if basis.name == "emergency" { context.noteForAudit("referral shared on an emergency basis without consent") }
        return try await context.store.write { db in
            let row = try CaseStore.open(db, id: request.caseID, context: context)
            let now = context.nowMs
            let caseID: Int64 = row["id"]
            try db.execute(sql: """
                INSERT INTO crisis_referrals (case_id, student_id, school_id, class_id, agency, reason, urgent, status, requested_by, requested_at_ms, updated_at_ms,
                                              legal_basis, consent_by, consent_on, consent_record, emergency_reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [caseID, row["student_id"] as String, row["school_id"] as String, row["class_id"] as String, agency, reason,
                                 request.urgent, ReferralStatus.requested.requiredStoredText, context.principal.id, now, now,
                                 basis.name, basis.consentBy, basis.consentOn, basis.consentRecord, basis.emergencyReason])
            let id = db.lastInsertedRowID
            let tier: Int = row["tier"]
            try CaseStore.addEvent(db, caseID: caseID, kind: "referral_requested", from: tier, to: tier,
                                   reason: "referral \(id) to \(agency)", actor: context.principal.id, atMs: now)
            var event = Xinyu_Events_V1_ReferralRequested()
            event.referralID = String(id)
            event.caseID = String(caseID)
            event.studentID = row["student_id"]
            event.schoolID = row["school_id"]
            event.agency = agency
            event.reason = reason
            event.urgent = request.urgent
            event.requestedBy = context.principal.id
            event.requestedAtMs = now
            event.legalBasis = basis.name
            event.consentOn = basis.consentOn
            try context.publish(CrisisTopics.referralRequested, event, in: db)
            return try ReferralRecord.fetchOne(db, sql: "SELECT * FROM crisis_referrals WHERE id = ?", arguments: [id])!.message
        }
    }

    @Sendable func outcome(_ request: Xinyu_Crisis_V1_RecordReferralOutcomeRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_Referral {
        let id = try Require.id("referral_id", request.referralID, what: "referral")
        guard ReferralStore.statuses.contains(request.status) else {
            throw RPCError.invalidField("status", "\"\(request.status)\" is not one of \(ReferralStore.statuses.sorted().joined(separator: ", "))")
        }
        return try await context.store.write { db in
            guard let caseID = try Int64.fetchOne(db, sql: "SELECT case_id FROM crisis_referrals WHERE id = ?", arguments: [id]) else {
                throw RPCError(.notFound, "referral \(request.referralID) not found")
            }
            // An agency records outcomes only for referrals made to it; staff through the case.
            if context.principal.kind == .agency {
                let referral = try Row.fetchOne(db, sql: "SELECT agency, student_id FROM crisis_referrals WHERE id = ?", arguments: [id])!
                try context.requireScope(ScopeTarget(agencyIDs: [referral["agency"]], studentID: referral["student_id"]),
                                         what: "referral \(request.referralID)", hideExistence: true)
            } else {
                _ = try CaseStore.visible(db, id: String(caseID), context: context)
            }
            return try ReferralStore.recordOutcome(db, id: id, status: request.status, outcome: request.outcome, actor: context.principal.id, atMs: context.nowMs)!.message
        }
    }
}
