import GRDB
import XinyuStore

extension AuditLog {
    /// Moves a trail written by an older host into this log's own database, once.
    ///
    /// Hosts before the audit trail had a file of its own kept it in the main database. On the
    /// first start with a separate file, the entries, their subjects, the head and the retention
    /// anchor are copied as they are (same sequences, same hashes, so `verify()` still checks
    /// the whole chain) in one transaction. Nothing is copied when this log already has entries
    /// or the old database has none. The old tables are left where they were and no longer
    /// written. Returns how many entries were moved.
    public func adoptLegacyTrail(from legacyPath: String) throws -> Int {
        try database.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS legacy", arguments: [legacyPath])
            defer { try? db.execute(sql: "DETACH DATABASE legacy") }
            let hasTrail = try Bool.fetchOne(db, sql: """
                SELECT count(*) = 4 FROM legacy.sqlite_master
                WHERE type = 'table' AND name IN ('audit_entries', 'audit_subjects', 'audit_head', 'audit_anchor')
                """) ?? false
            guard hasTrail else { return 0 }
            var moved = 0
            try db.inTransaction(.immediate) {
                let mine = try Int.fetchOne(db, sql: "SELECT count(*) FROM main.audit_entries") ?? 0
                let theirs = try Int.fetchOne(db, sql: "SELECT count(*) FROM legacy.audit_entries") ?? 0
                guard mine == 0, theirs > 0 else { return .commit }
                try db.execute(sql: """
                    INSERT INTO main.audit_entries (sequence, time, principal_id, principal_kind, source, method, outcome, detail, subjects, prev_hash, hash)
                    SELECT sequence, time, principal_id, principal_kind, source, method, outcome, detail, subjects, prev_hash, hash FROM legacy.audit_entries;
                    INSERT INTO main.audit_subjects (subject, sequence) SELECT subject, sequence FROM legacy.audit_subjects;
                    DELETE FROM main.audit_head;
                    INSERT INTO main.audit_head (one, sequence, hash, mac) SELECT one, sequence, hash, mac FROM legacy.audit_head;
                    DELETE FROM main.audit_anchor;
                    INSERT INTO main.audit_anchor (one, sequence, hash, mac, pruned_at) SELECT one, sequence, hash, mac, pruned_at FROM legacy.audit_anchor;
                    """)
                moved = theirs
                return .commit
            }
            return moved
        }
    }
}
