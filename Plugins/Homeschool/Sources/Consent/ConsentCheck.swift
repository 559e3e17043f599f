import Foundation
import XinyuHomeschoolAPI
import XinyuPluginSDK

/// The answer to "may this student's data go to this agency for this purpose today?".
enum ConsentCheck {
    /// `consents` newest first. The newest one in force answers yes; otherwise no, with the newest record and why.
    static func answer(_ consents: [ConsentRecord], today: CalendarDay, calendar: CityCalendar) -> Xinyu_Homeschool_V1_CheckConsentResponse {
        var reply = Xinyu_Homeschool_V1_CheckConsentResponse()
        if let inForce = consents.first(where: { problem($0, today: today, calendar: calendar) == nil }) {
            reply.consented = true
            reply.consent = inForce.message
            return reply
        }
        guard let latest = consents.first else {
            reply.reason = "no consent recorded for this purpose and agency"
            return reply
        }
        reply.consent = latest.message
        reply.reason = problem(latest, today: today, calendar: calendar) ?? ""
        return reply
    }

    static func problem(_ consent: ConsentRecord, today: CalendarDay, calendar: CityCalendar) -> String? {
        if consent.withdrawnAtMs > 0 {
            let day = calendar.day(of: Date(timeIntervalSince1970: Double(consent.withdrawnAtMs) / 1000))
            return "withdrawn on \(day)"
        }
        if let given = CalendarDay(consent.givenOn), given > today { return "not given until \(given)" }
        if let expires = CalendarDay(consent.expiresOn), expires < today { return "expired on \(expires)" }
        return nil
    }
}
