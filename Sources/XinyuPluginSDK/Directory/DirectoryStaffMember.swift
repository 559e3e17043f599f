import GRDB

/// A member of staff as the directory holds them, with their roles.
public struct DirectoryStaffMember: Sendable, Hashable, Codable, FetchableRecord {
    public let id: String
    public let name: String
    /// The school they work at; nil for city-level staff.
    public let schoolID: String?
    /// Their roles (e.g. "psych_teacher_full_time", "mentor"), sorted.
    public var roles: [String] = []

    enum CodingKeys: String, CodingKey {
        case id, name
        case schoolID = "school_id"
    }

    static let columns = "id, name, school_id"
}
