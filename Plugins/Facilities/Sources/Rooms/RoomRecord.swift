import GRDB

/// A row of `facilities_rooms`: a school's counselling room (心理辅导室). The one decoding of that table.
struct RoomRecord: Decodable, FetchableRecord {
    let id: Int64
    let schoolID: String
    let name: String
    let location: String
    let areaM2: Double
    let openingHours: String
    let equipment: String
    let certifiedOn: String
    let expiresOn: String
    let updatedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case id, name, location, equipment
        case schoolID = "school_id"
        case areaM2 = "area_m2"
        case openingHours = "opening_hours"
        case certifiedOn = "certified_on"
        case expiresOn = "expires_on"
        case updatedAtMs = "updated_at_ms"
    }

    static func find(_ db: Database, id: Int64) throws -> RoomRecord? {
        try fetchOne(db, sql: "SELECT * FROM facilities_rooms WHERE id = ?", arguments: [id])
    }
}
