import GRDB

extension SharedDatabase {
    /// Applies the owner's migrations not yet applied, in order, each in its own transaction, recording (owner, name) in `xinyu_migrations`.
    ///
    /// Safe when several processes call it at once: each migration's IMMEDIATE transaction takes the
    /// file's write lock and re-reads the applied set before running it, so it runs exactly once.
    /// A migration that throws rolls back (schema and record alike), the error is rethrown, and later
    /// migrations do not run. Other owners' applied migrations in the same file are ignored, never an error.
    /// Throws `StoreError.unknownAppliedMigrations` if the file holds migrations of this owner that
    /// `migrations` lacks (a newer build wrote it), and `StoreError.duplicateMigrationName` for a repeated name.
    public func migrate(owner: String, _ migrations: [NamedMigration]) throws {
        var known = Set<String>()
        for migration in migrations where !known.insert(migration.name).inserted {
            throw StoreError.duplicateMigrationName(owner: owner, name: migration.name)
        }
        try pool.writeWithoutTransaction { db in
            try Self.inImmediateTransaction(db) { db in
                try MigrationLedger.createIfNeeded(db)
                let applied = try MigrationLedger.appliedNames(db, owner: owner)
                try MigrationLedger.rejectUnknown(applied: applied, known: known, owner: owner)
            }
            for migration in migrations {
                try Self.applyIfNeeded(migration, owner: owner, known: known, db)
            }
        }
    }

    /// Names applied for an owner, in the order they were applied.
    public func appliedMigrations(owner: String) throws -> [String] {
        try readSync { db in
            guard try MigrationLedger.exists(db) else { return [] }
            return try MigrationLedger.appliedNames(db, owner: owner)
        }
    }

    /// Creates the host-owned core tables (outbox, outbox cursors, idempotency, inbox) through `migrate(owner: "core", ...)`.
    ///
    /// Every process that uses those tables may call it; it is as safe to repeat or race as any `migrate`.
    public func migrateCore() throws {
        try migrate(owner: CoreSchema.owner, CoreSchema.migrations)
    }

    /// Runs one migration in its own IMMEDIATE transaction unless the ledger, read under the write lock, has it.
    private static func applyIfNeeded(
        _ migration: NamedMigration, owner: String, known: Set<String>, _ db: Database
    ) throws {
        // Like GRDB's migrator: foreign keys are switched off around the transaction (the pragma is
        // ignored inside one) and checked before commit. With them on, dropping a table while
        // rebuilding it would run ON DELETE CASCADE and silently delete rows in other tables.
        try db.execute(sql: "PRAGMA foreign_keys = OFF")
        let outcome = Result {
            try inImmediateTransaction(db) { db in
                let applied = try MigrationLedger.appliedNames(db, owner: owner)
                try MigrationLedger.rejectUnknown(applied: applied, known: known, owner: owner)
                // Another process may have applied it while this one waited for the write lock.
                guard !applied.contains(migration.name) else { return }
                try migration.apply(db)
                try MigrationLedger.record(db, owner: owner, name: migration.name)
                try db.checkForeignKeys()
            }
        }
        try db.execute(sql: "PRAGMA foreign_keys = ON")
        try outcome.get()
    }
}
