import GRDB

/// A row of `facilities_inspections`: one inspection (专项督查) of a school.
struct InspectionRecord: Decodable, FetchableRecord {
    let id: Int64
    let schoolID: String
    let team: String
    let date: String
    let templateID: String
    let templateVersion: Int
    let status: String
    let reinspectionOf: Int64?
    let score: Double
    let measured: String

    enum CodingKeys: String, CodingKey {
        case id, team, date, status, score, measured
        case schoolID = "school_id"
        case templateID = "template_id"
        case templateVersion = "template_version"
        case reinspectionOf = "reinspection_of"
    }

    static func find(_ db: Database, id: Int64) throws -> InspectionRecord? {
        try fetchOne(db, sql: "SELECT * FROM facilities_inspections WHERE id = ?", arguments: [id])
    }
}

/// A figure measured for an inspection when its findings were recorded, stored with it so the
/// report shows what the inspector saw.
struct MeasuredValue: Codable, Sendable {
    let measure: String
    let available: Bool
    let share: Double
    let detail: String
    /// What was counted, for the printed report's Chinese wording (``MeasuredFigureText``); nil
    /// in figures recorded before it was kept.
    var counts: [String: Int]? = nil
    /// The period counted ("YYYY-MM-DD" to "YYYY-MM-DD"), for duty compliance.
    var from: String? = nil
    var to: String? = nil
}
