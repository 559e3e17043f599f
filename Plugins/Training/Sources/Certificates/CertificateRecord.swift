import GRDB

/// A row of `training_certificates`.
struct CertificateRecord: Decodable, FetchableRecord {
    let id: Int64
    let number: String
    let staffID: String
    let level: String
    let issuedOn: String
    let expiresOn: String
    let sessionID: Int64

    enum CodingKeys: String, CodingKey {
        case id, number, level
        case staffID = "staff_id"
        case issuedOn = "issued_on"
        case expiresOn = "expires_on"
        case sessionID = "session_id"
    }

    /// The certificate a completion issued, or nil.
    static func issued(_ db: Database, completion completionID: Int64) throws -> CertificateRecord? {
        try fetchOne(db, sql: "SELECT * FROM training_certificates WHERE completion_id = ?", arguments: [completionID])
    }
}
