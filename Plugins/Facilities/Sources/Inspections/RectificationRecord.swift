import GRDB
import XinyuFacilitiesAPI
import XinyuPluginSDK

/// A row of `facilities_rectifications`: a rectification task (整改) from a finding.
struct RectificationRecord: Decodable, FetchableRecord {
    let id: Int64
    let inspectionID: Int64
    let schoolID: String
    let itemID: String
    let description: String
    let ownerID: String
    let deadline: String
    let status: String
    let decidedByInspection: Int64?

    enum CodingKeys: String, CodingKey {
        case id, description, deadline, status
        case inspectionID = "inspection_id"
        case schoolID = "school_id"
        case itemID = "item_id"
        case ownerID = "owner_id"
        case decidedByInspection = "decided_by_inspection"
    }

    var isOpen: Bool { RectificationStatus(storedText: status) == .open }

    /// Open and past its deadline on `today`.
    func isOverdue(today: CalendarDay) -> Bool { isOpen && deadline < today.description }

    func message(today: CalendarDay) -> Xinyu_Facilities_V1_Rectification {
        var task = Xinyu_Facilities_V1_Rectification()
        task.id = String(id)
        task.inspectionID = String(inspectionID)
        task.schoolID = schoolID
        task.itemID = itemID
        task.description_p = description
        task.ownerID = ownerID
        task.deadline = deadline
        task.status = status
        task.decidedByInspection = decidedByInspection.map(String.init) ?? ""
        task.overdue = isOverdue(today: today)
        return task
    }
}
