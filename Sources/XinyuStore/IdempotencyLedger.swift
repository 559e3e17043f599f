import Crypto
import Foundation
import GRDB

/// The idempotency ledger (`xinyu_idempotency`): mutating calls retried with the same key, even after a
/// process restart, change data once and get the first attempt's answer.
///
/// A handler, inside one write transaction: `state` → if `.fresh`, apply its changes and `markApplied`
/// → `recordAnswer` (same transaction when it can, else right after commit). Every function takes the
/// caller's `Database`. Call `SharedDatabase.migrateCore()` before using it.
public enum IdempotencyLedger {
    /// SHA-256 of the request bytes (swift-crypto), as 64 lowercase hex digits.
    public static func digest(_ request: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in SHA256.hash(data: request) {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// What the ledger holds for this key, compared with this request's digest.
    public static func state(_ db: Database, scope: IdempotencyScope, requestDigest: String) throws -> IdempotencyState {
        guard let entry = try Entry.fetch(db, scope: scope) else { return .fresh }
        guard entry.requestDigest == requestDigest else { return .mismatched }
        return try entry.answer.map(IdempotencyState.answered) ?? .appliedButAnswerLost
    }

    /// Called inside the handler's own write transaction: marks that this key has changed data.
    ///
    /// Throws `StoreError.idempotencyKeyAlreadyUsed` if the key is already recorded, in any state: another
    /// attempt has applied it, and throwing rolls this attempt's changes back so they are not applied twice.
    /// Call it once per attempt.
    public static func markApplied(_ db: Database, scope: IdempotencyScope, requestDigest: String) throws {
        try db.execute(sql: """
            INSERT INTO xinyu_idempotency
                (owner, method, principal_id, key, request_digest, state, created_at_ms)
            VALUES (?, ?, ?, ?, ?, 'applied', ?)
            ON CONFLICT DO NOTHING
            """, arguments: scope.keyArguments + [requestDigest, WallClock.nowMs()])
        if db.changesCount == 0 {
            throw StoreError.idempotencyKeyAlreadyUsed(scope)
        }
    }

    /// Stores the final answer (any status code), in its own or the caller's transaction.
    ///
    /// Works whether or not `markApplied` ran (a call that failed validation changed nothing but still
    /// has an answer to repeat). Recording the same answer again changes nothing; a different answer for
    /// an answered key throws `StoreError.answerAlreadyRecorded`, and a different digest throws
    /// `StoreError.idempotencyDigestMismatch`.
    public static func recordAnswer(
        _ db: Database, scope: IdempotencyScope, requestDigest: String, answer: StoredAnswer
    ) throws {
        if let entry = try Entry.fetch(db, scope: scope) {
            guard entry.requestDigest == requestDigest else {
                throw StoreError.idempotencyDigestMismatch(scope)
            }
            if let stored = try entry.answer {
                guard stored == answer else { throw StoreError.answerAlreadyRecorded(scope) }
                return
            }
        }
        // Insert, or complete the 'applied' row; created_at_ms keeps the first attempt's time.
        // ifnull: an empty Data may bind with a null pointer, which SQLite stores as NULL; keep it an empty blob.
        try db.execute(sql: """
            INSERT INTO xinyu_idempotency
                (owner, method, principal_id, key, request_digest, state, code, message, response, created_at_ms)
            VALUES (?, ?, ?, ?, ?, 'answered', ?, ?, ifnull(?, X''), ?)
            ON CONFLICT (owner, method, principal_id, key) DO UPDATE SET
                state = 'answered', code = excluded.code, message = excluded.message, response = excluded.response
            """, arguments: scope.keyArguments + [
                requestDigest, Int64(answer.code), answer.message, Data(answer.response), WallClock.nowMs(),
            ])
    }

    /// Deletes entries older than the cut-off (retention); returns the count.
    ///
    /// A retry arriving after its entry is purged is treated as `.fresh`, so keep entries longer than
    /// any client retries.
    public static func purge(_ db: Database, olderThanMs: Int64) throws -> Int {
        try db.execute(sql: "DELETE FROM xinyu_idempotency WHERE created_at_ms < ?", arguments: [olderThanMs])
        return db.changesCount
    }
}

extension IdempotencyScope {
    /// The primary-key values, in column order (owner, method, principal_id, key).
    fileprivate var keyArguments: StatementArguments {
        [owner, method, principalID, key]
    }
}

/// One ledger row.
private struct Entry {
    let requestDigest: String
    let state: String
    let row: Row

    static func fetch(_ db: Database, scope: IdempotencyScope) throws -> Entry? {
        let row = try Row.fetchOne(db, sql: """
            SELECT request_digest, state, code, message, response FROM xinyu_idempotency
            WHERE owner = ? AND method = ? AND principal_id = ? AND key = ?
            """, arguments: scope.keyArguments)
        return row.map { Entry(requestDigest: $0["request_digest"], state: $0["state"], row: $0) }
    }

    /// The stored answer; nil while the entry is only 'applied'.
    var answer: StoredAnswer? {
        get throws {
            switch state {
            case "applied":
                return nil
            case "answered":
                let rawCode: Int64 = row["code"]
                guard let code = UInt32(exactly: rawCode) else {
                    throw StoreError.corruptRow(table: "xinyu_idempotency", detail: "code \(rawCode)")
                }
                return StoredAnswer(code: code, message: row["message"], response: [UInt8](row["response"] as Data))
            default:
                throw StoreError.corruptRow(table: "xinyu_idempotency", detail: "state \(state)")
            }
        }
    }
}
