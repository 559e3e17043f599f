import Foundation
import XinyuStore
import XinyuWire

/// `ReloadConfiguration`: re-reads the configuration and roles files and applies what can change
/// while running — roles and the list of enabled plugins. Anything else that changed is reported
/// as needing a restart; nothing is half-applied when a file is invalid.
enum ConfigurationReload {
    static func apply(path: String?, startedWith running: HostConfiguration, startRoles: [RoleDefinition], access: AccessControl,
                      supervisor: PluginSupervisor, table: RoutingTable, database: SharedDatabase, actor: String) async throws -> [String] {
        guard let path else {
            throw RPCError(.failedPrecondition, "the host was started without --config, so there is no file to reload")
        }
        let fresh: HostConfiguration
        let roles: [RoleDefinition]
        do {
            fresh = try HostConfiguration.load(path: path)
            roles = try RolesFile.load(path: fresh.rolesFile)
        } catch let error as ConfigurationError {
            throw RPCError(.invalidArgument, "nothing changed: \(error.description)")
        }
        guard roles.contains(where: { $0.name == "operator" }) else {
            throw RPCError(.invalidArgument, "nothing changed: \(fresh.rolesFile) has no [operator] role")
        }
        var changes: [String] = []
        let before = Dictionary(access.roles.filter { $0.source == "config" }.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(roles.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let added = after.keys.filter { before[$0] == nil }.sorted()
        let removed = before.keys.filter { after[$0] == nil }.sorted()
        let changed = after.keys.filter { before[$0] != nil && before[$0] != after[$0] }.sorted()
        access.setConfigRoles(roles)
        if !added.isEmpty { changes.append("roles added: \(added.joined(separator: ", "))") }
        if !removed.isEmpty { changes.append("roles removed: \(removed.joined(separator: ", "))") }
        if !changed.isEmpty { changes.append("roles changed: \(changed.joined(separator: ", ")) (applies to new connections)") }

        let overrides = try PluginOverride.all(database)
        let wanted = Set(PluginOverride.effectiveEnabled(configured: fresh.enabledPlugins, overrides: overrides))
        let active = Set(table.records.map(\.name))
        for name in wanted.subtracting(active).sorted() {
            do {
                try await supervisor.enable(name)
                changes.append("plugin \(name) enabled")
            } catch {
                changes.append("plugin \(name) not enabled: \(error)")
            }
        }
        for name in active.subtracting(wanted).sorted() {
            await supervisor.disable(name)
            changes.append("plugin \(name) disabled")
        }
        let restartOnly: [(String, Bool)] = [
            ("host.socket", fresh.socketPath != running.socketPath), ("host.database", fresh.databasePath != running.databasePath),
            ("host.runtime_dir", fresh.runtimeDirectory != running.runtimeDirectory), ("host.max_frame_bytes", fresh.maxFrameBytes != running.maxFrameBytes),
            ("host.keepalive_ms", fresh.keepaliveMs != running.keepaliveMs), ("tcp", fresh.tcpListen != running.tcpListen || fresh.tlsCertificate != running.tlsCertificate
                || fresh.tlsPrivateKey != running.tlsPrivateKey || fresh.tlsClientCA != running.tlsClientCA || fresh.tlsClientCertificates != running.tlsClientCertificates),
            ("security.audit_key_file", fresh.auditKeyFile != running.auditKeyFile),
            ("security.audit_database", fresh.effectiveAuditDatabasePath != running.effectiveAuditDatabasePath),
            // The metrics listener is bound, and the limits are built into the listeners and the
            // rate limiter, once at start.
            ("metrics", fresh.metrics != running.metrics), ("limits", fresh.limits != running.limits),
        ]
        let needRestart = restartOnly.filter(\.1).map(\.0)
        if !needRestart.isEmpty { changes.append("changed but applied only after a restart: \(needRestart.joined(separator: ", "))") }
        return changes.isEmpty ? ["no changes"] : changes
    }
}
