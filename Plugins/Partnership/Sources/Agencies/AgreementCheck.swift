import GRDB
import XinyuPartnershipAPI
import XinyuPartnershipCore
import XinyuPluginSDK

/// CheckReferralAgreement: may a referral for a purpose go to an agency today? Only under a
/// signed agreement in force that covers the purpose (``AgreementCoverage``). Crisis's
/// RequestReferral asks it through the host before a referral leaves the school, and the
/// intake asks it again before a referral event is shown to the agency.
struct AgreementCheck: Sendable {
    /// The purpose of a crisis referral (转介), as crisis asks and agreements name it.
    static let referralPurpose = "referral"

    func register(_ s: inout ServiceBuilder) {
        s.unary("CheckReferralAgreement", permission: PartnershipPermissions.read, handler: check)
    }

    @Sendable func check(_ request: Xinyu_Partnership_V1_CheckReferralAgreementRequest, _ context: CallContext) async throws -> Xinyu_Partnership_V1_CheckReferralAgreementResponse {
        let agency = try Input.text("agency_id", request.agencyID, max: 128)
        let purpose = try Input.slug("purpose", request.purpose)
        let today = context.today
        return try await context.store.read { db in try Self.answer(db, agencyID: agency, purpose: purpose, today: today) }
    }

    /// The decision for `agencyID` and `purpose` on `today`, as the API answers it.
    static func answer(_ db: Database, agencyID: String, purpose: String, today: CalendarDay) throws -> Xinyu_Partnership_V1_CheckReferralAgreementResponse {
        var reply = Xinyu_Partnership_V1_CheckReferralAgreementResponse()
        guard try AgencyRecord.find(db, id: agencyID) != nil else {
            reply.reason = "no agency \(agencyID) in the partnership network"
            return reply
        }
        let records = try AgreementRecord.fetchAll(db, sql: "SELECT * FROM partnership_agreements WHERE agency_id = ?", arguments: [agencyID])
        let byID = Dictionary(uniqueKeysWithValues: records.map { (String($0.id), $0) })
        let terms = records.compactMap { record -> AgreementTerms? in
            guard let signed = CalendarDay(record.signedOn), let expires = CalendarDay(record.expiresOn) else { return nil }
            return AgreementTerms(id: String(record.id), signedOn: signed, expiresOn: expires, purposes: record.purposeList)
        }
        switch AgreementCoverage.decide(agencyID: agencyID, agreements: terms, purpose: purpose, today: today) {
        case .covered(let agreement):
            reply.covered = true
            if let record = byID[agreement.id] { reply.agreement = record.message(today: today) }
        case .refused(let reason, let latest):
            reply.reason = reason
            if let latest, let record = byID[latest.id] { reply.agreement = record.message(today: today) }
        }
        return reply
    }
}
