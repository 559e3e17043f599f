import Foundation
import GRDB
import XinyuEventsAPI
import XinyuPartnershipCore
import XinyuPluginSDK

/// Takes over a referral crisis requested (`crisis.referral.requested`): records it for the
/// agency it names, with the response deadline for its urgency as a durable timer.
///
/// Nor is a referral to an agency without a signed agreement in force covering referrals
/// (``AgreementCheck``).
///
/// A referral without a recorded legal basis (the guardian's consent or an emergency) is never
/// recorded, so it never reaches an agency: PIPL allows sharing a minor's mental-health data
/// only on one of those two.
struct ReferralIntake: Sendable {
    let configuration: PartnershipConfiguration
    let changes: ReferralChangeBell

    static let legalBases: Set<String> = ["guardian_consent", "emergency"]

    func subscribe(_ registry: inout ServiceRegistry) {
        let configuration = self.configuration
        let changes = self.changes
        registry.subscribe(PartnershipTopics.referralRequested, as: Xinyu_Events_V1_ReferralRequested.self) { event, info, context in
            guard Self.legalBases.contains(event.legalBasis) else {
                context.logger.warning("a referral without a recorded legal basis was not forwarded to any agency", metadata: ["event": "\(info.eventID)"])
                return
            }
            guard !event.referralID.isEmpty, !event.agency.isEmpty, !event.studentID.isEmpty else {
                context.logger.warning("ignored a referral event missing its id, agency or student", metadata: ["event": "\(info.eventID)"])
                return
            }
            let requestedAt = event.requestedAtMs > 0 ? event.requestedAtMs : info.recordedAtMs
            let respondBy = requestedAt + configuration.responseWindowMs(urgent: event.urgent)
            try await context.store.write { db in
                guard try ReferralRecord.find(db, id: event.referralID) == nil else { return }
                // Crisis asked CheckReferralAgreement before it opened the referral; asked again
                // here, an agreement that lapsed since (or a referral opened while this plugin was
                // not enabled) keeps the referral away from the agency.
                let agreement = try AgreementCheck.answer(db, agencyID: event.agency, purpose: AgreementCheck.referralPurpose, today: context.today)
                guard agreement.covered else {
                    context.logger.warning("a referral to an agency without an agreement in force was not forwarded", metadata: ["event": "\(info.eventID)"])
                    return
                }
                try db.execute(sql: """
                    INSERT INTO partnership_referrals (id, case_id, agency_id, student_id, school_id, reason, urgent, legal_basis, status,
                                                       requested_at_ms, respond_by_ms, updated_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'requested', ?, ?, ?)
                    """, arguments: [event.referralID, event.caseID, event.agency, event.studentID, event.schoolID, event.reason, event.urgent,
                                     event.legalBasis, requestedAt, respondBy, requestedAt])
                _ = try ReferralStore.recordChange(db, id: event.referralID, actor: event.requestedBy, atMs: requestedAt, statusChanged: true, context: context)
                try context.schedule(at: Date(timeIntervalSince1970: Double(respondBy) / 1000), topic: PartnershipTopics.responseDue,
                                     payload: ResponseDue(referralID: event.referralID), key: ReferralStore.responseTimerKey(event.referralID), in: db)
            }
            await changes.ring()
        }
    }
}

/// The payload of the response-deadline timer.
struct ResponseDue: Codable, Sendable {
    var referralID: String
}
