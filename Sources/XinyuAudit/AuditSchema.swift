import GRDB
import XinyuStore

/// The audit tables, created through `SharedDatabase.migrate(owner: AuditLog.owner, AuditLog.migrations)`.
///
/// Append-only at two levels. Triggers refuse UPDATE and DELETE on the entries and the subject index,
/// which stops accidents and honest code (a stray `DELETE`, an admin "fixing" a row). They do not
/// stop a deliberate attacker, who can drop them; the keyed hash chain (`AuditChain`) is what catches
/// deliberate tampering. Pruning is the one legitimate delete: it inserts the single row of
/// `audit_prune_guard`, deletes, and removes the row again, all in one transaction, so no other
/// connection ever sees the guard (WAL readers see only committed states) and no delete outside
/// `AuditLog.prune` passes the triggers.
enum AuditSchema {
    /// Never edit a shipped migration: add a new one.
    static let migrations: [NamedMigration] = [
        NamedMigration("001-audit-trail") { db in
            try db.execute(sql: """
                CREATE TABLE audit_entries (
                    sequence INTEGER PRIMARY KEY,
                    time TEXT NOT NULL,
                    principal_id TEXT NOT NULL,
                    principal_kind TEXT NOT NULL,
                    source TEXT NOT NULL,
                    method TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    subjects TEXT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                );
                -- Time-range queries and pruning; principal queries.
                CREATE INDEX audit_entries_by_time ON audit_entries (time);
                CREATE INDEX audit_entries_by_principal ON audit_entries (principal_id, sequence);

                -- "Who has looked at this student": one seek, newest first, without reading the entries table.
                CREATE TABLE audit_subjects (
                    subject TEXT NOT NULL,
                    sequence INTEGER NOT NULL,
                    PRIMARY KEY (subject, sequence)
                ) WITHOUT ROWID;
                CREATE INDEX audit_subjects_by_sequence ON audit_subjects (sequence);

                -- The newest sequence and its hash, updated in every append's transaction:
                -- without it, deleting the newest entries would leave a shorter chain that still verifies.
                CREATE TABLE audit_head (
                    one INTEGER PRIMARY KEY CHECK (one = 1),
                    sequence INTEGER NOT NULL,
                    hash TEXT NOT NULL,
                    mac TEXT NOT NULL
                );

                -- The last pruned sequence and its hash: the previous hash of the oldest remaining entry.
                CREATE TABLE audit_anchor (
                    one INTEGER PRIMARY KEY CHECK (one = 1),
                    sequence INTEGER NOT NULL,
                    hash TEXT NOT NULL,
                    mac TEXT NOT NULL,
                    pruned_at TEXT NOT NULL
                );

                -- Holds a row only inside AuditLog.prune's transaction.
                CREATE TABLE audit_prune_guard (one INTEGER PRIMARY KEY CHECK (one = 1));

                CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
                BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
                CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
                WHEN NOT EXISTS (SELECT 1 FROM audit_prune_guard)
                BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
                CREATE TRIGGER audit_subjects_no_update BEFORE UPDATE ON audit_subjects
                BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
                CREATE TRIGGER audit_subjects_no_delete BEFORE DELETE ON audit_subjects
                WHEN NOT EXISTS (SELECT 1 FROM audit_prune_guard)
                BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
                """)
        },
    ]
}
