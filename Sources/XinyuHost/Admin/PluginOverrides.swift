import Foundation
import GRDB
import XinyuStore

/// Plugins enabled or disabled at run time by an administrator, kept across restarts.
/// They take precedence over `plugins.enabled` in the configuration file.
struct PluginOverride: Sendable, Equatable {
    var name: String
    var enabled: Bool
    var changedBy: String
    var changedAtMs: Int64
    var reason: String

    static func all(_ database: SharedDatabase) throws -> [PluginOverride] {
        try database.readSync { db in
            try Row.fetchAll(db, sql: "SELECT * FROM host_plugin_overrides ORDER BY name").map {
                PluginOverride(name: $0["name"], enabled: $0["enabled"], changedBy: $0["changed_by"], changedAtMs: $0["changed_at_ms"], reason: $0["reason"])
            }
        }
    }

    func save(_ database: SharedDatabase) async throws {
        let row = self
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO host_plugin_overrides (name, enabled, changed_by, changed_at_ms, reason) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET enabled = excluded.enabled, changed_by = excluded.changed_by,
                        changed_at_ms = excluded.changed_at_ms, reason = excluded.reason
                    """,
                arguments: [row.name, row.enabled, row.changedBy, row.changedAtMs, row.reason])
        }
    }

    /// The plugins to run: the configured list with the run-time changes applied.
    static func effectiveEnabled(configured: [String], overrides: [PluginOverride]) -> [String] {
        var enabled = configured
        for override in overrides {
            if override.enabled, !enabled.contains(override.name) { enabled.append(override.name) }
            if !override.enabled { enabled.removeAll { $0 == override.name } }
        }
        return enabled
    }
}
