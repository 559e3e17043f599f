import GRDB

/// The host-owned core tables (outbox, outbox cursors, inbox, idempotency ledger, page-token key, timers), as named migrations.
///
/// Never edit or rename a migration here once it has shipped: files that already applied it would never
/// see the edit. Append a new migration instead.
enum CoreSchema {
    /// The owner name under which the core migrations are recorded.
    static let owner = "core"

    /// Core migrations, in the order they must apply.
    static let migrations: [NamedMigration] = [
        NamedMigration("001-outbox") { db in
            // AUTOINCREMENT: ids are never reused, even after the newest events are deleted, so a
            // subscriber's cursor can never sit above an event that is published later.
            try db.execute(sql: """
                CREATE TABLE xinyu_outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    topic TEXT NOT NULL,
                    publisher TEXT NOT NULL,
                    actor_id TEXT NOT NULL,
                    recorded_at_ms INTEGER NOT NULL,
                    payload BLOB NOT NULL
                );
                -- pending() seeks each topic from the cursor in id order, whatever the table's size.
                CREATE INDEX xinyu_outbox_by_topic ON xinyu_outbox (topic, id);
                """)
        },
        NamedMigration("002-outbox-cursor") { db in
            try db.execute(sql: """
                CREATE TABLE xinyu_outbox_cursor (
                    subscriber TEXT NOT NULL PRIMARY KEY,
                    last_event_id INTEGER NOT NULL CHECK (last_event_id >= 0)
                ) WITHOUT ROWID;
                """)
        },
        NamedMigration("003-inbox") { db in
            try db.execute(sql: """
                CREATE TABLE xinyu_inbox (
                    subscriber TEXT NOT NULL,
                    event_id INTEGER NOT NULL,
                    handled_at_ms INTEGER NOT NULL,
                    PRIMARY KEY (subscriber, event_id)
                ) WITHOUT ROWID;
                """)
        },
        NamedMigration("004-idempotency") { db in
            try db.execute(sql: """
                CREATE TABLE xinyu_idempotency (
                    owner TEXT NOT NULL,
                    method TEXT NOT NULL,
                    principal_id TEXT NOT NULL,
                    key TEXT NOT NULL,
                    request_digest TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('applied', 'answered')),
                    code INTEGER,
                    message TEXT,
                    response BLOB,
                    created_at_ms INTEGER NOT NULL,
                    PRIMARY KEY (owner, method, principal_id, key),
                    CHECK (state = 'applied'
                           OR (code IS NOT NULL AND message IS NOT NULL AND response IS NOT NULL))
                ) WITHOUT ROWID;
                -- purge() deletes by age.
                CREATE INDEX xinyu_idempotency_by_age ON xinyu_idempotency (created_at_ms);
                """)
        },
        NamedMigration("005-page-token-key") { db in
            // One secret per database, made once here, so the host and every plugin sign and check
            // page tokens with the same key, and tokens stay valid across restarts (PageTokenKey).
            try db.execute(sql: """
                CREATE TABLE xinyu_page_token_key (
                    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                    key BLOB NOT NULL CHECK (length(key) = 32)
                );
                """)
            try db.execute(sql: "INSERT INTO xinyu_page_token_key (id, key) VALUES (1, ?)", arguments: [PageTokenKey.freshSecret()])
        },
        TimerSchema.migration,
    ]
}
