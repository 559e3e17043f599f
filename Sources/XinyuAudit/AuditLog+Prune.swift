import Foundation
import GRDB

extension AuditLog {
    /// Deletes the oldest entries, those recorded before `cutoff`, and returns how many it deleted.
    ///
    /// Retention is a policy of the host (three years by default). Only a prefix of the chain is ever
    /// deleted: pruning stops at the first entry at or after `cutoff`, even if a later one is older
    /// (clocks step back), so what remains is one unbroken chain. It records the last deleted entry's
    /// sequence and hash as the sealed retention anchor, from which `verify()` continues.
    /// Before deleting it verifies the part it deletes and throws `AuditError.chainBroken` if that is
    /// broken: pruning tampered entries would destroy the evidence and seal over it.
    @discardableResult
    public func prune(olderThan cutoff: Date) async throws -> Int {
        let cutoffText = AuditTimestamp.format(cutoff)
        let verifier = AuditChainVerifier(chain: chain)
        let chain = chain
        return try await database.write { db in
            // Walks the primary key from the oldest entry: costs what is pruned, not the table size.
            let firstKept = try Int64.fetchOne(db, sql: """
                SELECT sequence FROM audit_entries WHERE time >= ? ORDER BY sequence LIMIT 1
                """, arguments: [cutoffText])
            guard let last = try Row.fetchOne(db, sql: """
                SELECT sequence, hash FROM audit_entries WHERE sequence < ? ORDER BY sequence DESC LIMIT 1
                """, arguments: [firstKept ?? Int64.max])
            else { return 0 }
            let through: Int64 = last["sequence"]
            if let problem = try verifier.verify(db, through: through).problem {
                throw AuditError.chainBroken(problem)
            }
            // The verification above proved this hash genuine.
            let hashText: String = last["hash"]
            let hash = Hex.decode(hashText) ?? []

            // The guard row lets the DELETE triggers pass; it never outlives this transaction.
            try db.execute(sql: "INSERT INTO audit_prune_guard (one) VALUES (1)")
            try db.execute(sql: "DELETE FROM audit_subjects WHERE sequence <= ?", arguments: [through])
            try db.execute(sql: "DELETE FROM audit_entries WHERE sequence <= ?", arguments: [through])
            let deleted = db.changesCount
            try db.execute(sql: "DELETE FROM audit_prune_guard")
            try db.execute(sql: """
                INSERT INTO audit_anchor (one, sequence, hash, mac, pruned_at) VALUES (1, ?, ?, ?, ?)
                ON CONFLICT (one) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash,
                    mac = excluded.mac, pruned_at = excluded.pruned_at
                """, arguments: [
                    through, hashText, Hex.encode(chain.anchorMAC(sequence: through, hash: hash)),
                    AuditTimestamp.format(Date()),
                ])
            return deleted
        }
    }
}
