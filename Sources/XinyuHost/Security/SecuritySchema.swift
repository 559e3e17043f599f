import GRDB
import XinyuStore

/// The host's own security tables: principals, roles created at run time, API tokens and the
/// plugins enabled or disabled at run time. Owned by "security"; never edit a shipped migration.
enum SecuritySchema {
    static let owner = "security"

    static var migrations: [NamedMigration] {
        [
            NamedMigration("v1-principals-roles-tokens") { db in
                try db.execute(sql: """
                    CREATE TABLE security_principals (
                        id TEXT PRIMARY KEY,
                        kind TEXT NOT NULL,
                        display_name TEXT NOT NULL,
                        roles TEXT NOT NULL,            -- JSON array of role names
                        scopes TEXT NOT NULL,           -- JSON array of {"kind","ids"}
                        agency_kind TEXT NOT NULL DEFAULT '',
                        certificate_cn TEXT UNIQUE,     -- mTLS: client certificate common name
                        disabled INTEGER NOT NULL DEFAULT 0,
                        created_at_ms INTEGER NOT NULL,
                        created_by TEXT NOT NULL
                    );
                    CREATE TABLE security_roles (
                        name TEXT PRIMARY KEY,
                        description TEXT NOT NULL,
                        permissions TEXT NOT NULL,      -- JSON array
                        created_at_ms INTEGER NOT NULL,
                        created_by TEXT NOT NULL
                    );
                    -- Only the SHA-256 of a token's secret is kept; the secret is shown once.
                    CREATE TABLE security_tokens (
                        id TEXT PRIMARY KEY,
                        principal_id TEXT NOT NULL REFERENCES security_principals (id),
                        secret_hash TEXT NOT NULL,
                        label TEXT NOT NULL,
                        created_at_ms INTEGER NOT NULL,
                        created_by TEXT NOT NULL,
                        expires_at_ms INTEGER NOT NULL,
                        revoked_at_ms INTEGER NOT NULL DEFAULT 0,
                        revoked_by TEXT NOT NULL DEFAULT '',
                        last_used_at_ms INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX security_tokens_by_principal ON security_tokens (principal_id);
                    CREATE TABLE host_plugin_overrides (
                        name TEXT PRIMARY KEY,
                        enabled INTEGER NOT NULL,
                        changed_by TEXT NOT NULL,
                        changed_at_ms INTEGER NOT NULL,
                        reason TEXT NOT NULL
                    );
                    """)
            },
        ]
    }
}
