import GRDB

/// A row of `directory_schools` (the columns of ``SchoolTable/columns``).
struct SchoolRecord: Decodable, FetchableRecord, Sendable {
    let id: String
    let name: String
    let district: String
    /// `Xinyu_Directory_V1_SchoolKind`'s stored text.
    let kind: String
    /// Hosts a sub-centre of the Student Growth Guidance Center.
    let subCentre: Bool
    let updatedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case id, name, district, kind
        case subCentre = "sub_centre"
        case updatedAtMs = "updated_at_ms"
    }
}
