import GRDB
import XinyuPartnershipAPI
import XinyuPluginSDK

/// A row of `partnership_agencies`, and the agency as the API sends it.
struct AgencyRecord: Decodable, FetchableRecord, Sendable {
    let id: String
    let kind: String
    let name: String
    let contacts: String
    let createdAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case id, kind, name, contacts
        case createdAtMs = "created_at_ms"
    }

    var message: Xinyu_Partnership_V1_Agency {
        var a = Xinyu_Partnership_V1_Agency()
        a.id = id
        a.kind = Xinyu_Partnership_V1_AgencyKind(storedText: kind) ?? .unspecified
        a.name = name
        a.contacts = JSONList.decode(contacts)
        a.createdAtMs = createdAtMs
        return a
    }

    static func find(_ db: Database, id: String) throws -> AgencyRecord? {
        try fetchOne(db, sql: "SELECT * FROM partnership_agencies WHERE id = ?", arguments: [id])
    }

    /// The agency, or NOT_FOUND naming the field.
    static func required(_ db: Database, id: String, field: String = "agency_id") throws -> AgencyRecord {
        guard let found = try find(db, id: id) else { throw RPCError(.notFound, "field \(field): no agency \(id)") }
        return found
    }
}
