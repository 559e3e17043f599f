import GRDB

/// A school as the directory holds it.
public struct DirectorySchool: Sendable, Hashable, Codable, FetchableRecord {
    public let id: String
    public let name: String
    /// The district (区), e.g. "海曙区".
    public let district: String
    /// "primary", "junior", "senior" or "vocational".
    public let kind: String
    /// True for a school that hosts a district sub-centre (分中心).
    public let subCentre: Bool

    enum CodingKeys: String, CodingKey {
        case id, name, district, kind
        case subCentre = "sub_centre"
    }

    static let columns = "id, name, district, kind, sub_centre"
}
