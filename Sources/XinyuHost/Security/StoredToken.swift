import GRDB

/// One row of `security_tokens`. The secret itself is never stored.
struct StoredToken: Sendable, Equatable {
    var id: String
    var principalID: String
    var secretHash: String
    var label: String
    var createdAtMs: Int64
    var createdBy: String
    var expiresAtMs: Int64
    var revokedAtMs: Int64
    var revokedBy: String
    var lastUsedAtMs: Int64

    init(id: String, principalID: String, secretHash: String, label: String, createdAtMs: Int64, createdBy: String, expiresAtMs: Int64) {
        self.id = id
        self.principalID = principalID
        self.secretHash = secretHash
        self.label = label
        self.createdAtMs = createdAtMs
        self.createdBy = createdBy
        self.expiresAtMs = expiresAtMs
        self.revokedAtMs = 0
        self.revokedBy = ""
        self.lastUsedAtMs = 0
    }

    init(row: Row) {
        id = row["id"]
        principalID = row["principal_id"]
        secretHash = row["secret_hash"]
        label = row["label"]
        createdAtMs = row["created_at_ms"]
        createdBy = row["created_by"]
        expiresAtMs = row["expires_at_ms"]
        revokedAtMs = row["revoked_at_ms"]
        revokedBy = row["revoked_by"]
        lastUsedAtMs = row["last_used_at_ms"]
    }

    var isRevoked: Bool { revokedAtMs != 0 }

    func isActive(atMs now: Int64) -> Bool { !isRevoked && now < expiresAtMs }

    func insert(_ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO security_tokens (id, principal_id, secret_hash, label, created_at_ms, created_by, expires_at_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [id, principalID, secretHash, label, createdAtMs, createdBy, expiresAtMs])
    }

    static func fetchAll(_ db: Database) throws -> [StoredToken] {
        try Row.fetchAll(db, sql: "SELECT * FROM security_tokens ORDER BY created_at_ms, id").map(StoredToken.init(row:))
    }
}
