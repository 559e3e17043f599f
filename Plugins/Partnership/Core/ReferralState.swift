import XinyuDomainKit

/// Where a referral (转介) stands, as stored in `partnership_referrals.status` and sent to crisis
/// in `partnership.referral.updated`.
public enum ReferralState: String, CaseIterable, Sendable, StoredEnum {
    case requested
    case accepted
    case declined
    case appointmentBooked = "appointment_booked"
    case inTreatment = "in_treatment"
    case completed
    case revoked
    case withdrawn

    /// "referral status".
    public static var valueName: String { "referral status" }

    /// True once nothing more can happen to the referral.
    public var isFinal: Bool { [.declined, .completed, .revoked, .withdrawn].contains(self) }
}

/// Who takes a step: the agency the referral was made to, or the school that made it.
public enum ReferralActor: Sendable, Equatable {
    case agency
    case school
}
