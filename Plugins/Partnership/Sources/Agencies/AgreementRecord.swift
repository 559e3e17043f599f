import GRDB
import XinyuPartnershipAPI
import XinyuPluginSDK

/// A row of `partnership_agreements`: one signed agreement (签约).
struct AgreementRecord: Decodable, FetchableRecord, Sendable {
    let id: Int64
    let agencyID: String
    let signedOn: String
    let expiresOn: String
    let scope: String
    /// JSON array of purpose names; empty covers every purpose.
    let purposes: String

    enum CodingKeys: String, CodingKey {
        case id, scope, purposes
        case agencyID = "agency_id"
        case signedOn = "signed_on"
        case expiresOn = "expires_on"
    }

    /// The purposes it covers; empty covers every purpose.
    var purposeList: [String] { JSONList.decode(purposes) }

    func message(today: CalendarDay) -> Xinyu_Partnership_V1_Agreement {
        var a = Xinyu_Partnership_V1_Agreement()
        a.id = String(id)
        a.agencyID = agencyID
        a.signedOn = signedOn
        a.expiresOn = expiresOn
        a.scope = scope
        a.daysToExpiry = CalendarDay(expiresOn).map { Int32(today.days(to: $0)) } ?? 0
        a.purposes = purposeList
        return a
    }
}
