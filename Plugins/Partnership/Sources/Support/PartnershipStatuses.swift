import XinyuPartnershipAPI
import XinyuPartnershipCore
import XinyuPluginSDK

// Every enum the partnership plugin stores, declared once: proto value, stored text and CHECK.

extension Xinyu_Partnership_V1_AgencyKind: StoredEnum {
    /// `partnership_agencies.kind`; the same words as a principal's `agency_kind`.
    public static let storedCases: [(value: Self, text: String)] = [
        (.hospital, "hospital"), (.police, "police"), (.procuratorate, "procuratorate"), (.court, "court"),
        (.civilAffairs, "civil_affairs"), (.womensFederation, "womens_federation"), (.healthBureau, "health_bureau"),
        (.youthLeague, "youth_league"), (.provincialAid, "provincial_aid_centre"), (.hotline, "hotline"),
    ]
    /// "agency kind".
    public static var valueName: String { "agency kind" }
}

extension Xinyu_Partnership_V1_StationKind: StoredEnum {
    /// `partnership_stations.kind`.
    public static let storedCases: [(value: Self, text: String)] = [(.policeTeacherRoom, "police_teacher_room"), (.flowerSeasonCare, "flower_season_care")]
    /// "station kind".
    public static var valueName: String { "station kind" }
}

extension Xinyu_Partnership_V1_SessionKind: StoredEnum {
    /// `partnership_sessions.kind`.
    public static let storedCases: [(value: Self, text: String)] = [(.triageWeekly, "triage_weekly"), (.provincialMonthly, "provincial_monthly")]
    /// "session kind".
    public static var valueName: String { "session kind" }
}

extension Xinyu_Partnership_V1_BookingStatus: StoredEnum {
    /// `partnership_bookings.status`.
    public static let storedCases: [(value: Self, text: String)] = [(.booked, "booked"), (.waitlisted, "waitlisted"), (.cancelled, "cancelled"), (.noShow, "no_show")]
    /// "booking status".
    public static var valueName: String { "booking status" }
}

extension Xinyu_Partnership_V1_CallerKind: StoredEnum {
    /// `partnership_hotline_calls.caller_kind`.
    public static let storedCases: [(value: Self, text: String)] = [(.student, "student"), (.parent, "parent"), (.teacher, "teacher"), (.anonymous, "anonymous")]
    /// "caller kind".
    public static var valueName: String { "caller kind" }
}

extension Xinyu_Partnership_V1_CallRisk: StoredEnum {
    /// `partnership_hotline_calls.risk`.
    public static let storedCases: [(value: Self, text: String)] = [(.low, "low"), (.medium, "medium"), (.high, "high")]
    /// "call risk".
    public static var valueName: String { "call risk" }
}

extension Xinyu_Partnership_V1_ReferralStatus: StoredEnum {
    /// `partnership_referrals.status`: the texts of ``ReferralState``.
    public static let storedCases: [(value: Self, text: String)] = [
        (.requested, ReferralState.requested.rawValue), (.accepted, ReferralState.accepted.rawValue),
        (.declined, ReferralState.declined.rawValue), (.appointmentBooked, ReferralState.appointmentBooked.rawValue),
        (.inTreatment, ReferralState.inTreatment.rawValue), (.completed, ReferralState.completed.rawValue),
        (.revoked, ReferralState.revoked.rawValue), (.withdrawn, ReferralState.withdrawn.rawValue),
    ]
    /// "referral status".
    public static var valueName: String { "referral status" }

    /// The lifecycle state this API value names (nil for UNSPECIFIED).
    var state: ReferralState? { storedText.flatMap(ReferralState.init(rawValue:)) }
}
