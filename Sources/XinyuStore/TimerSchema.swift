import GRDB

/// The `xinyu_timers` table, as one core migration: plugins' durable timers.
///
/// Never edit this migration once it has shipped; append a new one to ``CoreSchema`` instead.
enum TimerSchema {
    /// Creates `xinyu_timers`: one row per (owner, key), pending until `fired_at_ms` is set.
    ///
    /// `due_at_ms` is the time the owner asked for; `fire_at_ms` is when the runtime next tries
    /// (the due time, or later after a failed attempt). `version` grows with every schedule or
    /// move, so a firing that read an older version never marks the newer timer as fired.
    static let migration = NamedMigration("006-timers") { db in
        try db.execute(sql: """
            CREATE TABLE xinyu_timers (
                owner TEXT NOT NULL,
                key TEXT NOT NULL,
                topic TEXT NOT NULL,
                due_at_ms INTEGER NOT NULL,
                fire_at_ms INTEGER NOT NULL,
                payload BLOB NOT NULL,
                version INTEGER NOT NULL CHECK (version >= 1),
                attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                last_error TEXT NOT NULL DEFAULT '',
                scheduled_at_ms INTEGER NOT NULL,
                fired_at_ms INTEGER,
                PRIMARY KEY (owner, key)
            ) WITHOUT ROWID;
            -- The runtime seeks an owner's next pending timer, whatever the table's size.
            CREATE INDEX xinyu_timers_pending ON xinyu_timers (owner, fire_at_ms) WHERE fired_at_ms IS NULL;
            """)
    }
}
