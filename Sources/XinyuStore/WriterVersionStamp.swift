import GRDB

/// The `xinyu_writer_version` table: the newest host release that has opened this database file.
///
/// Migrations are forward-only: a host must never run on a file that a newer release migrated,
/// because its code does not know the tables and rules that release added. The migration ledger
/// catches that per owner (``StoreError/unknownAppliedMigrations(owner:names:)``) but can only
/// name migrations; this stamp lets the refusal name both releases, and it covers plugin schemas
/// too, which the host itself never migrates. Its shape is fixed forever, like the ledger's.
public enum WriterVersionStamp {
    /// The release recorded in the file at `database`, or nil if no host has stamped it yet.
    public static func recorded(in database: SharedDatabase) throws -> SoftwareVersion? {
        try database.readSync { db in
            guard try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'xinyu_writer_version')
                """) ?? false else { return nil }
            return try String.fetchOne(db, sql: "SELECT version FROM xinyu_writer_version WHERE id = 1").map(SoftwareVersion.init)
        }
    }

    /// Refuses (``StoreError/newerDatabase(path:written:running:)``) when the file was stamped by
    /// a release newer than `running`; otherwise records `running` as the file's release.
    ///
    /// Check and stamp happen in one write transaction, so two hosts of different releases
    /// starting on one file at once cannot both pass.
    public static func checkAndStamp(_ database: SharedDatabase, running: SoftwareVersion, nowMs: Int64) throws {
        try database.writeSync { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS xinyu_writer_version (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    version TEXT NOT NULL,
                    written_at_ms INTEGER NOT NULL
                )
                """)
            if let text = try String.fetchOne(db, sql: "SELECT version FROM xinyu_writer_version WHERE id = 1") {
                let written = SoftwareVersion(text)
                if running < written {
                    throw StoreError.newerDatabase(path: database.path, written: written.text, running: running.text)
                }
            }
            try db.execute(sql: """
                INSERT INTO xinyu_writer_version (id, version, written_at_ms) VALUES (1, ?, ?)
                ON CONFLICT (id) DO UPDATE SET version = excluded.version, written_at_ms = excluded.written_at_ms
                """, arguments: [running.text, nowMs])
        }
    }
}
