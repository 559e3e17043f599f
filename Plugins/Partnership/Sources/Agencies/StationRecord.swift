import GRDB
import XinyuPartnershipAPI

/// A row of `partnership_stations`: a joint station (警师活动室, 花季关护) at a school.
struct StationRecord: Decodable, FetchableRecord, Sendable {
    let id: Int64
    let kind: String
    let agencyID: String
    let schoolID: String
    let name: String
    let openedOn: String

    enum CodingKeys: String, CodingKey {
        case id, kind, name
        case agencyID = "agency_id"
        case schoolID = "school_id"
        case openedOn = "opened_on"
    }

    var message: Xinyu_Partnership_V1_JointStation {
        var s = Xinyu_Partnership_V1_JointStation()
        s.id = String(id)
        s.kind = Xinyu_Partnership_V1_StationKind(storedText: kind) ?? .unspecified
        s.agencyID = agencyID
        s.schoolID = schoolID
        s.name = name
        s.openedOn = openedOn
        return s
    }
}
