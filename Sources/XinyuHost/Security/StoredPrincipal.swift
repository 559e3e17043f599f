import Foundation
import GRDB
import XinyuPluginSDK

/// One row of `security_principals`: a person, agency, service or the operator.
struct StoredPrincipal: Sendable, Equatable {
    var id: String
    var kind: Principal.Kind
    var displayName: String
    var roles: [String]
    var scopes: [DataScope]
    var agencyKind: String
    var certificateCommonName: String?
    var disabled: Bool
    var createdAtMs: Int64
    var createdBy: String

    /// Principal ids: ASCII letters, digits and ".-_:", at most 64 characters, e.g. "staff:T0012".
    static func isValidID(_ id: String) -> Bool {
        guard !id.isEmpty, id.count <= 64 else { return false }
        return id.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-_:".unicodeScalars.contains($0)) }
    }

    static let agencyKinds: Set<String> = [
        "hospital", "police", "procuratorate", "court", "civil_affairs", "womens_federation",
        "health_bureau", "youth_league", "provincial_aid_centre", "hotline",
    ]

    init(id: String, kind: Principal.Kind, displayName: String, roles: [String], scopes: [DataScope], agencyKind: String = "",
         certificateCommonName: String? = nil, disabled: Bool = false, createdAtMs: Int64, createdBy: String) {
        self.id = id
        self.kind = kind
        self.displayName = displayName
        self.roles = roles
        self.scopes = scopes
        self.agencyKind = agencyKind
        self.certificateCommonName = certificateCommonName
        self.disabled = disabled
        self.createdAtMs = createdAtMs
        self.createdBy = createdBy
    }

    init(row: Row) throws {
        id = row["id"]
        kind = Principal.Kind(rawValue: row["kind"]) ?? .unknown
        displayName = row["display_name"]
        roles = try JSONDecoder().decode([String].self, from: Data((row["roles"] as String).utf8))
        scopes = try JSONDecoder().decode([ScopeJSON].self, from: Data((row["scopes"] as String).utf8)).map { DataScope(kind: $0.kind, ids: $0.ids) }
        agencyKind = row["agency_kind"]
        certificateCommonName = row["certificate_cn"]
        disabled = row["disabled"]
        createdAtMs = row["created_at_ms"]
        createdBy = row["created_by"]
    }

    func insert(_ db: Database) throws {
        let rolesJSON = String(decoding: try JSONEncoder().encode(roles), as: UTF8.self)
        let scopesJSON = String(decoding: try JSONEncoder().encode(scopes.map { ScopeJSON(kind: $0.kind, ids: $0.ids) }), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO security_principals (id, kind, display_name, roles, scopes, agency_kind, certificate_cn, disabled, created_at_ms, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [id, kind.rawValue, displayName, rolesJSON, scopesJSON, agencyKind, certificateCommonName, disabled, createdAtMs, createdBy])
    }

    static func fetchAll(_ db: Database) throws -> [StoredPrincipal] {
        try Row.fetchAll(db, sql: "SELECT * FROM security_principals ORDER BY id").map(StoredPrincipal.init(row:))
    }

    private struct ScopeJSON: Codable {
        var kind: String
        var ids: [String]
    }
}
