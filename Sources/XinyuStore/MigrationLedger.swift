import GRDB

/// The `xinyu_migrations` table: which named migrations each owner has applied to this file, in order.
///
/// One table for every owner (not GRDB's `grdb_migrations`) because GRDB's migrator reads the applied set
/// once, before its per-migration transactions, so two processes migrating at once could both run the
/// same migration; this ledger is re-read inside each migration's own write transaction.
enum MigrationLedger {
    /// Creates the ledger table. Its shape is fixed forever: every build of every owner relies on it.
    ///
    /// `seq` numbers an owner's migrations in the order they were applied; rowids could be renumbered by VACUUM.
    static func createIfNeeded(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS xinyu_migrations (
                owner TEXT NOT NULL,
                name TEXT NOT NULL,
                seq INTEGER NOT NULL,
                applied_at_ms INTEGER NOT NULL,
                PRIMARY KEY (owner, name),
                UNIQUE (owner, seq)
            )
            """)
    }

    /// True once some process has created the ledger table in this file.
    static func exists(_ db: Database) throws -> Bool {
        // Asks sqlite_master directly: GRDB's schema cache may predate another process's CREATE TABLE.
        try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'xinyu_migrations')
            """) ?? false
    }

    /// Names the owner has applied, oldest first.
    static func appliedNames(_ db: Database, owner: String) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT name FROM xinyu_migrations WHERE owner = ? ORDER BY seq
            """, arguments: [owner])
    }

    /// Records that the owner's migration `name` has been applied, after all those already recorded.
    static func record(_ db: Database, owner: String, name: String) throws {
        try db.execute(sql: """
            INSERT INTO xinyu_migrations (owner, name, seq, applied_at_ms)
            VALUES (?, ?, (SELECT ifnull(max(seq), 0) + 1 FROM xinyu_migrations WHERE owner = ?), ?)
            """, arguments: [owner, name, owner, WallClock.nowMs()])
    }

    /// Throws if the file records migrations for `owner` that `known` lacks (written by a newer build).
    static func rejectUnknown(applied: [String], known: Set<String>, owner: String) throws {
        let unknown = applied.filter { !known.contains($0) }
        if !unknown.isEmpty {
            throw StoreError.unknownAppliedMigrations(owner: owner, names: unknown)
        }
    }
}
