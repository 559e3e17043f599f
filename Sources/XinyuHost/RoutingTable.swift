import Foundation
import NIOConcurrencyHelpers
import XinyuPluginSDK
import XinyuRPC
import XinyuWire

/// Where each method goes, and the live state of every plugin. Read on every call, so it is a
/// lock-protected value rather than an actor: a lookup never waits behind a suspension.
final class RoutingTable: Sendable {
    enum Route: Sendable {
        case host(MethodHandler)
        case plugin(name: String, descriptor: Xinyu_Wire_V1_MethodDescriptor)
    }

    private struct State {
        var hostMethods: [String: MethodHandler] = [:]
        var pluginMethods: [String: (plugin: String, descriptor: Xinyu_Wire_V1_MethodDescriptor)] = [:]
        var plugins: [String: PluginRecord] = [:]
        /// Services of plugins known from earlier runs or other deployments but not enabled here.
        var knownDisabled: [String: String] = [:]
    }

    private let state = NIOLockedValueBox(State())
    /// The plugins installed beside the host (``InstalledPlugins``), enabled or not.
    let installed: Set<String>
    /// Keeps a manifest a plugin registered, for the next start (``PluginManifestStore``).
    private let keepManifest: @Sendable (Xinyu_Wire_V1_PluginManifest) -> Void

    init(hostRegistry: ServiceRegistry, enabled: [String], installed: Set<String>,
         keepManifest: @escaping @Sendable (Xinyu_Wire_V1_PluginManifest) -> Void = { _ in }) {
        self.installed = installed
        self.keepManifest = keepManifest
        state.withLockedValue { s in
            s.hostMethods = hostRegistry.methods
            for name in enabled { s.plugins[name] = PluginRecord(name: name) }
        }
    }

    /// Remembers which services a plugin that is not enabled serves, so that calls to them
    /// answer FAILED_PRECONDITION naming the plugin instead of UNIMPLEMENTED.
    func rememberDisabled(service: String, plugin: String) {
        state.withLockedValue { $0.knownDisabled[service] = plugin }
    }

    /// Adds a plugin enabled at run time (its methods arrive with its manifest).
    func addPlugin(_ name: String) {
        state.withLockedValue { s in
            if s.plugins[name] == nil { s.plugins[name] = PluginRecord(name: name) }
            s.knownDisabled = s.knownDisabled.filter { $0.value != name }
        }
    }

    /// Removes a plugin disabled at run time: its methods answer FAILED_PRECONDITION naming it
    /// from now on. Returns its connection, to be closed by the caller.
    @discardableResult
    func removePlugin(_ name: String) -> RPCConnection? {
        state.withLockedValue { s in
            let record = s.plugins.removeValue(forKey: name)
            for service in record?.manifest?.services ?? [] { s.knownDisabled[service.name] = name }
            s.pluginMethods = s.pluginMethods.filter { $0.value.plugin != name }
            return record?.connection
        }
    }

    /// Routes the methods of enabled plugins from the manifests they registered on an earlier
    /// run, until they register again: a call in that window reaches ``CallRouter``'s "not ready"
    /// path (UNAVAILABLE with a retry hint) instead of UNIMPLEMENTED.
    func preload(_ manifests: [Xinyu_Wire_V1_PluginManifest]) {
        state.withLockedValue { s in
            for manifest in manifests where s.plugins[manifest.name] != nil {
                for service in manifest.services {
                    for method in service.methods {
                        let full = "\(service.name)/\(method.name)"
                        if s.hostMethods[full] == nil && s.pluginMethods[full] == nil {
                            s.pluginMethods[full] = (manifest.name, method)
                        }
                    }
                }
            }
        }
    }

    /// The enabled plugin that will serve `method` once it is ready, by the naming convention
    /// `xinyu.<plugin>.v1.Service`, for a plugin that has never registered in this database.
    func startingPlugin(for method: String) -> String? {
        let service = String(method.prefix(while: { $0 != "/" }))
        let parts = service.split(separator: ".")
        guard parts.count >= 3, parts[0] == "xinyu" else { return nil }
        let name = String(parts[1])
        return state.withLockedValue { s in
            guard let record = s.plugins[name], record.state != .ready else { return nil }
            return name
        }
    }

    func route(_ method: String) -> Route? {
        state.withLockedValue { s in
            if let handler = s.hostMethods[method] { return .host(handler) }
            if let entry = s.pluginMethods[method] { return .plugin(name: entry.plugin, descriptor: entry.descriptor) }
            return nil
        }
    }

    /// The plugin that would serve a method but is not enabled, if any.
    func disabledPlugin(for method: String) -> String? {
        let service = String(method.prefix(while: { $0 != "/" }))
        return state.withLockedValue { s in
            if let name = s.knownDisabled[service] { return name }
            // Convention: xinyu.<plugin>.v1.Service belongs to plugin <plugin>.
            let parts = service.split(separator: ".")
            if parts.count >= 3, parts[0] == "xinyu", installed.contains(String(parts[1])), s.plugins[String(parts[1])] == nil {
                return String(parts[1])
            }
            return nil
        }
    }

    func record(_ name: String) -> PluginRecord? { state.withLockedValue { $0.plugins[name] } }

    var records: [PluginRecord] { state.withLockedValue { $0.plugins.values.sorted { $0.name < $1.name } } }

    func update(_ name: String, _ body: (inout PluginRecord) -> Void) {
        state.withLockedValue { s in
            if var record = s.plugins[name] {
                body(&record)
                s.plugins[name] = record
            }
        }
    }

    /// Installs a plugin's manifest; fails if one of its methods is already served by another.
    func install(_ manifest: Xinyu_Wire_V1_PluginManifest, connection: RPCConnection) -> String? {
        let conflict: String? = state.withLockedValue { s in
            for service in manifest.services {
                for method in service.methods {
                    let full = "\(service.name)/\(method.name)"
                    if s.hostMethods[full] != nil { return "method \(full) is served by the host itself" }
                    if let owner = s.pluginMethods[full]?.plugin, owner != manifest.name {
                        return "method \(full) is already served by plugin '\(owner)'"
                    }
                }
            }
            s.pluginMethods = s.pluginMethods.filter { $0.value.plugin != manifest.name }
            for service in manifest.services {
                for method in service.methods {
                    s.pluginMethods["\(service.name)/\(method.name)"] = (manifest.name, method)
                }
            }
            if var record = s.plugins[manifest.name] {
                record.manifest = manifest
                record.connection = connection
                record.version = manifest.version
                record.state = .ready
                record.readySince = Date()
                record.lastError = ""
                record.unresponsiveSince = nil
                s.plugins[manifest.name] = record
            }
            return nil
        }
        // Outside the lock: it writes to the database.
        if conflict == nil { keepManifest(manifest) }
        return conflict
    }

    /// Every method the host routes, for `ListMethods`.
    func allMethods() -> [(method: String, servedBy: String, descriptor: Xinyu_Wire_V1_MethodDescriptor, available: Bool)] {
        state.withLockedValue { s in
            var result = s.hostMethods.map { ($0.key, "host", $0.value.descriptor, true) }
            for (method, entry) in s.pluginMethods {
                result.append((method, entry.plugin, entry.descriptor, s.plugins[entry.plugin]?.state == .ready))
            }
            return result.sorted { $0.0 < $1.0 }
        }
    }

    /// Subscribers and their topics, among plugins that are ready.
    func readySubscribers() -> [(name: String, topics: [String], connection: RPCConnection)] {
        state.withLockedValue { s in
            s.plugins.values.compactMap { record in
                guard record.state == .ready, let connection = record.connection, let manifest = record.manifest, !manifest.subscribes.isEmpty else { return nil }
                return (record.name, manifest.subscribes, connection)
            }
        }
    }
}
