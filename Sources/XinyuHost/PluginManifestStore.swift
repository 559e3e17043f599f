import Foundation
import GRDB
import SwiftProtobuf
import XinyuStore
import XinyuWire

/// The manifest each plugin last registered, kept in the shared database so that a host that
/// starts again knows which methods its enabled plugins serve before they connect: a call that
/// arrives in that window answers UNAVAILABLE ("plugin 'crisis' is starting; retry"), never
/// UNIMPLEMENTED, which clients must not retry (docs/PROTOCOL.md §8).
enum PluginManifestStore {
    /// The owner of the table's migrations.
    static let owner = "host"

    static var migrations: [NamedMigration] {
        [
            NamedMigration("v1-plugin-manifests") { db in
                try db.execute(sql: """
                    CREATE TABLE host_plugin_manifests (
                        plugin TEXT PRIMARY KEY,
                        manifest BLOB NOT NULL,         -- xinyu.wire.v1.PluginManifest
                        recorded_at_ms INTEGER NOT NULL
                    )
                    """)
            },
        ]
    }

    /// Records the manifest a plugin just registered.
    static func save(_ manifest: Xinyu_Wire_V1_PluginManifest, in db: Database, nowMs: Int64) throws {
        let bytes: [UInt8] = try manifest.serializedBytes()
        try db.execute(sql: """
            INSERT INTO host_plugin_manifests (plugin, manifest, recorded_at_ms) VALUES (?, ?, ?)
            ON CONFLICT (plugin) DO UPDATE SET manifest = excluded.manifest, recorded_at_ms = excluded.recorded_at_ms
            """, arguments: [manifest.name, Data(bytes), nowMs])
    }

    /// The last manifest of each of `plugins` that has one; an unreadable row is skipped (the
    /// plugin registers a fresh one when it connects).
    static func load(_ plugins: [String], in db: Database) throws -> [Xinyu_Wire_V1_PluginManifest] {
        try plugins.compactMap { name in
            guard let data = try Data.fetchOne(db, sql: "SELECT manifest FROM host_plugin_manifests WHERE plugin = ?", arguments: [name]) else { return nil }
            return try? Xinyu_Wire_V1_PluginManifest(serializedBytes: Array(data))
        }
    }
}
