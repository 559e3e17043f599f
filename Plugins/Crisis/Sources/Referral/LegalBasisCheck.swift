import XinyuPluginSDK
import XinyuCrisisAPI
import XinyuCrisisCore

/// Checks the legal basis a referral records before a student's data leaves the school.
///
/// PIPL treats minors' mental-health data as sensitive: sharing it needs the guardian's
/// separate consent, or an emergency to protect life and health when consent cannot be
/// obtained in time. A referral without one is refused, naming what is missing.
enum LegalBasisCheck {
    struct Basis: Sendable {
        /// "guardian_consent" or "emergency", as stored and as sent in the event.
        var name: String
        var consentBy = ""
        var consentOn = ""
        var consentRecord = ""
        var emergencyReason = ""
    }

    static func validate(_ request: Xinyu_Crisis_V1_RequestReferralRequest, today: CalendarDay) throws -> Basis {
        switch request.legalBasis {
        case .guardianConsent:
            let by = request.consentBy.trimmingCharacters(in: .whitespaces)
            guard !by.isEmpty, by.count <= 100 else {
                throw RPCError.invalidField("consent_by", "say which guardian consented, e.g. \"母亲 李娜\"")
            }
            guard let day = CalendarDay(request.consentOn) else {
                throw RPCError.invalidField("consent_on", "'\(request.consentOn)' is not a date (use YYYY-MM-DD)")
            }
            guard day <= today else {
                throw RPCError.invalidField("consent_on", "\(day) is in the future; consent must be given before data is shared")
            }
            let record = request.consentRecord.trimmingCharacters(in: .whitespaces)
            guard !record.isEmpty, record.count <= 200 else {
                throw RPCError.invalidField("consent_record", "say where the signed consent is kept, e.g. \"心理档案 consent form 2026-031\"")
            }
            return Basis(name: Xinyu_Crisis_V1_LegalBasis.guardianConsent.requiredStoredText, consentBy: by, consentOn: day.description, consentRecord: record)
        case .emergency:
            let why = request.emergencyReason.trimmingCharacters(in: .whitespaces)
            guard !why.isEmpty, why.count <= 500 else {
                throw RPCError.invalidField("emergency_reason", "say why waiting for the guardian's consent would put the student at risk")
            }
            return Basis(name: Xinyu_Crisis_V1_LegalBasis.emergency.requiredStoredText, emergencyReason: why)
        default:
            throw RPCError.invalidField("legal_basis", "required: record the guardian's consent (LEGAL_BASIS_GUARDIAN_CONSENT) or the emergency (LEGAL_BASIS_EMERGENCY) before the student's data leaves the school")
        }
    }
}
