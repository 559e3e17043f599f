import Crypto
import Foundation
import GRDB
import XinyuStore

/// The tamper-evident, append-only trail of every call to the host, kept in the shared database.
///
/// Each entry is sealed with HMAC-SHA256 over the previous entry's hash and its own contents
/// (see `AuditChain`), so `verify()` finds an entry that was edited, deleted or moved, and names the
/// first one. The key lives outside the database (`loadOrCreateKey(at:)`): someone who can write the
/// database but cannot read the key cannot forge a chain that verifies.
///
/// Call `database.migrate(owner: AuditLog.owner, AuditLog.migrations)` once before use.
/// Hot paths should record through an `AuditWriter`, which batches appends.
public final class AuditLog: Sendable {
    /// The migration owner of the audit tables.
    public static let owner = "audit"

    /// The audit tables, their indexes and the append-only triggers.
    public static var migrations: [NamedMigration] { AuditSchema.migrations }

    let database: SharedDatabase
    let chain: AuditChain

    /// Creates a log over `database`, sealing entries with `key` (HMAC-SHA256; 32 bytes from `loadOrCreateKey`).
    ///
    /// Every process that appends or verifies must use the same key: a different key makes every
    /// existing entry look edited.
    public init(database: SharedDatabase, key: SymmetricKey) {
        self.database = database
        self.chain = AuditChain(key: key)
    }

    /// Appends `entries` in order, in one transaction: all of them are stored, or none.
    ///
    /// Returns the stored records (times truncated to the millisecond). Appending nothing does nothing.
    @discardableResult
    public func append(_ entries: [AuditEntry]) async throws -> [AuditRecord] {
        guard !entries.isEmpty else { return [] }
        let chain = chain
        return try await database.write { db in try Self.append(entries, chain: chain, db) }
    }

    /// Like `append(_:)`, blocking the calling thread.
    ///
    /// For a final flush in a cancelled task, where GRDB's async accesses throw `CancellationError`.
    @discardableResult
    func appendSync(_ entries: [AuditEntry]) throws -> [AuditRecord] {
        guard !entries.isEmpty else { return [] }
        return try database.writeSync { db in try Self.append(entries, chain: chain, db) }
    }

    /// Records matching `query`, oldest first, at most `query.limit` (capped at `AuditQuery.maximumLimit`).
    public func query(_ query: AuditQuery) async throws -> [AuditRecord] {
        let limit = query.effectiveLimit
        guard limit > 0 else { return [] }
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let principalID = query.principalID {
            clauses.append("principal_id = ?")
            arguments += [principalID]
        }
        if let method = query.method {
            if method.hasSuffix("*") {
                // instr compares bytes exactly; LIKE would treat "_" and "%" in the name as wildcards.
                clauses.append("instr(method, ?) = 1")
                arguments += [String(method.dropLast())]
            } else {
                clauses.append("method = ?")
                arguments += [method]
            }
        }
        if let subject = query.subject {
            clauses.append("sequence IN (SELECT sequence FROM audit_subjects WHERE subject = ?)")
            arguments += [subject]
        }
        if let outcome = query.outcome {
            clauses.append("outcome = ?")
            arguments += [outcome]
        }
        // Fixed-width UTC text: string order is time order.
        if let from = query.from {
            clauses.append("time >= ?")
            arguments += [AuditTimestamp.format(from)]
        }
        if let to = query.to {
            clauses.append("time < ?")
            arguments += [AuditTimestamp.format(to)]
        }
        if let after = query.afterSequence {
            clauses.append("sequence > ?")
            arguments += [after]
        }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let sql = "SELECT \(StoredAuditEntry.columns) FROM audit_entries \(filter) ORDER BY sequence LIMIT ?"
        arguments += [limit]
        let finalArguments = arguments
        return try await database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: finalArguments).map { try StoredAuditEntry(row: $0).record() }
        }
    }

    /// Calls that touched the student `subject`, newest first, at most `limit` (capped at `AuditQuery.maximumLimit`).
    ///
    /// To page back in time, pass the last returned record's sequence as `beforeSequence`.
    public func whoLookedAt(subject: String, limit: Int, beforeSequence: Int64? = nil) async throws -> [AuditRecord] {
        let limit = min(max(limit, 0), AuditQuery.maximumLimit)
        guard limit > 0 else { return [] }
        let columns = StoredAuditEntry.columns.split(separator: ",")
            .map { "e." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")
        // A reverse seek on audit_subjects' primary key (subject, sequence).
        let sql = """
            SELECT \(columns) FROM audit_subjects s JOIN audit_entries e ON e.sequence = s.sequence
            WHERE s.subject = ? AND s.sequence < ?
            ORDER BY s.sequence DESC LIMIT ?
            """
        let before = beforeSequence ?? Int64.max
        return try await database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: [subject, before, limit])
                .map { try StoredAuditEntry(row: $0).record() }
        }
    }

    /// Appends in the caller's write transaction, continuing the chain from the head record.
    static func append(_ entries: [AuditEntry], chain: AuditChain, _ db: Database) throws -> [AuditRecord] {
        var (sequence, previous) = try chainEnd(chain: chain, db)
        let insertEntry = try db.cachedStatement(sql: """
            INSERT INTO audit_entries (sequence, time, principal_id, principal_kind, source, method, outcome,
                                       detail, subjects, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let insertSubject = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO audit_subjects (subject, sequence) VALUES (?, ?)
            """)
        var records: [AuditRecord] = []
        records.reserveCapacity(entries.count)
        for entry in entries {
            sequence += 1
            let fields = AuditFields(entry)
            let hash = chain.entryHash(previous: previous, sequence: sequence, fields: fields)
            let hashText = Hex.encode(hash)
            try insertEntry.execute(arguments: [
                sequence, fields.time, fields.principalID, fields.principalKind, fields.source, fields.method,
                fields.outcome, fields.detail, try SubjectList.encode(fields.subjects), Hex.encode(previous), hashText,
            ])
            for subject in fields.subjects {
                try insertSubject.execute(arguments: [subject, sequence])
            }
            var stored = entry
            stored.time = AuditTimestamp.truncated(entry.time)
            records.append(AuditRecord(sequence: sequence, entry: stored, hash: hashText))
            previous = hash
        }
        try db.execute(sql: """
            INSERT INTO audit_head (one, sequence, hash, mac) VALUES (1, ?, ?, ?)
            ON CONFLICT (one) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash, mac = excluded.mac
            """, arguments: [sequence, Hex.encode(previous), Hex.encode(chain.headMAC(sequence: sequence, hash: previous))])
        return records
    }

    /// The sequence and hash the next entry follows: the head record, if its seal holds.
    ///
    /// If the head is missing or forged while the log has history, someone has tampered with it,
    /// perhaps to hide deleted entries. Appending must go on (the host audits every call), but must
    /// not paper over that: the next entry takes the number after every sequence still known and is
    /// chained to `AuditChain.headLost`, so `verify()` keeps reporting the break there.
    static func chainEnd(chain: AuditChain, _ db: Database) throws -> (Int64, [UInt8]) {
        let head = try Row.fetchOne(db, sql: "SELECT sequence, hash, mac FROM audit_head WHERE one = 1")
        if let head {
            let sequence: Int64 = head["sequence"]
            if let hash = Hex.decode(head["hash"]), let mac = Hex.decode(head["mac"]),
                mac == chain.headMAC(sequence: sequence, hash: hash)
            {
                return (sequence, hash)
            }
        }
        let newest = try Int64.fetchOne(db, sql: """
            SELECT max(s) FROM (
                SELECT max(sequence) AS s FROM audit_entries
                UNION ALL SELECT sequence FROM audit_anchor
                UNION ALL SELECT sequence FROM audit_head)
            """)
        guard let newest else { return (0, AuditChain.genesis) }
        return (newest, AuditChain.headLost)
    }
}
