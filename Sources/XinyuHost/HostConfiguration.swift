import Foundation
import TOMLKit

/// Everything an operator can set, read from a TOML file (`Config/xinyu.toml`).
///
/// Relative paths are resolved against the directory the host was started in. Unknown keys
/// and wrong types are start-up errors that name the key, never silently ignored.
public struct HostConfiguration: Sendable, Equatable {
    /// The local operator socket (owner-only permissions).
    public var socketPath = "var/run/xinyu.sock"
    /// The shared SQLite database file, created on first start.
    public var databasePath = "var/xinyu.sqlite"
    /// Where the private plugin socket and other runtime files go (mode 0700).
    public var runtimeDirectory = "var/run"
    /// Where `xinyu-plugin-<name>` executables are; empty means beside `xinyu-host`.
    public var pluginDirectory = ""
    /// Where each plugin's own settings file `<name>.toml` is looked for; a plugin without one
    /// runs on its defaults.
    public var pluginSettingsDirectory = "Config/plugins"
    /// Plugins this deployment runs.
    public var enabledPlugins: [String] = []
    public var maxFrameBytes: UInt32 = 4 << 20
    public var maxConcurrentStreams: UInt32 = 1024
    /// Event loop threads for sockets; 0 = one per core. One is often faster on small machines:
    /// a call forwarded between connections on the same loop needs no thread wake-up.
    public var eventLoopThreads = 0
    /// How long in-flight calls may take to finish after SIGTERM.
    public var drainTimeoutMs = 10_000
    /// Keepalive interval towards plugins and clients; a peer silent for 3 intervals is dropped.
    public var keepaliveMs = 5_000
    /// A plugin must connect and send its manifest within this time after it is started.
    public var pluginStartTimeoutMs = 15_000
    public var restartInitialBackoffMs = 1_000
    public var restartMultiplier = 1.6
    public var restartMaxBackoffMs = 30_000
    /// This many restarts within `crashLoopWindowMs` marks a plugin failed.
    public var crashLoopRestarts = 5
    public var crashLoopWindowMs = 60_000
    /// How often the outbox is checked for events to deliver.
    public var outboxPollMs = 50

    /// The roles file: default roles for the people of the domain (see Config/roles.toml).
    public var rolesFile = "Config/roles.toml"
    /// Where the first start writes the operator's API token (mode 0600).
    public var operatorTokenFile = "var/operator.token"
    /// Lifetime of the operator token made on first start.
    public var operatorTokenDays = 365
    /// Lifetime of a token issued without `valid_days`.
    public var tokenDefaultDays = 90
    /// The key that seals the audit chain (32 random bytes, mode 0600). Keep it off the database's disk backups.
    public var auditKeyFile = "var/audit.key"
    /// `security.audit_database`: the audit trail's own SQLite file; nil = `audit.sqlite` beside
    /// the main database. A file of its own, so that appending audit entries never holds the
    /// write lock the plugins' writes need (issue 5, W2).
    public var auditDatabasePath: String?
    /// Where the audit trail is stored.
    public var effectiveAuditDatabasePath: String {
        auditDatabasePath ?? URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("audit.sqlite").path
    }
    /// Audit entries older than this are deleted (PIPL: processing records at least 3 years).
    public var auditRetentionDays = 1095

    /// A TCP listener for partner agencies and remote staff, e.g. "0.0.0.0:7443"; empty = none.
    public var tcpListen = ""
    /// TLS for the TCP listener: certificate chain and private key (PEM). Required with `tcpListen`
    /// unless `tlsDisabled` is set (only for loopback tests).
    public var tlsCertificate = ""
    public var tlsPrivateKey = ""
    /// CA that signs agencies' client certificates (mTLS); empty = no client certificates.
    public var tlsClientCA = ""
    /// "optional" (token or certificate) or "required" (every TCP client shows a certificate).
    public var tlsClientCertificates = "optional"
    /// Plain TCP without TLS: refused unless the listener is on a loopback address.
    public var tlsDisabled = false

    /// The built-in defaults (no plugin enabled, no TCP); `Config/xinyu.toml` sets the shipped ones.
    public init() {}

    /// Reads a TOML file; the error names the file, the key and the problem.
    public static func load(path: String) throws -> HostConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError("cannot read configuration file \(path): \(error.localizedDescription)")
        }
        return try parse(text, source: path)
    }

    /// Parses TOML text; `source` names it in errors.
    public static func parse(_ text: String, source: String) throws -> HostConfiguration {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError("\(source):\(error.source.begin.line): \(error.description)")
        } catch {
            throw ConfigurationError("\(source): not valid TOML: \(error)")
        }
        var config = HostConfiguration()
        var reader = ConfigurationReader(source: source)
        try reader.section(table, "host", allowed: ["socket", "database", "runtime_dir", "max_frame_bytes", "max_concurrent_streams", "drain_timeout_ms", "keepalive_ms", "event_loop_threads"]) { r, t in
            config.eventLoopThreads = try r.int(t, "event_loop_threads", in: 0...256) ?? config.eventLoopThreads
            config.socketPath = try r.string(t, "socket") ?? config.socketPath
            config.databasePath = try r.string(t, "database") ?? config.databasePath
            config.runtimeDirectory = try r.string(t, "runtime_dir") ?? config.runtimeDirectory
            config.maxFrameBytes = UInt32(try r.int(t, "max_frame_bytes", in: 1024...(64 << 20)) ?? Int(config.maxFrameBytes))
            config.maxConcurrentStreams = UInt32(try r.int(t, "max_concurrent_streams", in: 1...100_000) ?? Int(config.maxConcurrentStreams))
            config.drainTimeoutMs = try r.int(t, "drain_timeout_ms", in: 0...600_000) ?? config.drainTimeoutMs
            config.keepaliveMs = try r.int(t, "keepalive_ms", in: 100...600_000) ?? config.keepaliveMs
        }
        try reader.section(table, "plugins", allowed: ["enabled", "directory", "settings_dir", "start_timeout_ms", "restart_initial_backoff_ms", "restart_multiplier", "restart_max_backoff_ms", "crash_loop_restarts", "crash_loop_window_ms", "outbox_poll_ms"]) { r, t in
            config.enabledPlugins = try r.strings(t, "enabled") ?? config.enabledPlugins
            config.pluginDirectory = try r.string(t, "directory") ?? config.pluginDirectory
            config.pluginSettingsDirectory = try r.string(t, "settings_dir") ?? config.pluginSettingsDirectory
            config.pluginStartTimeoutMs = try r.int(t, "start_timeout_ms", in: 100...600_000) ?? config.pluginStartTimeoutMs
            config.restartInitialBackoffMs = try r.int(t, "restart_initial_backoff_ms", in: 0...600_000) ?? config.restartInitialBackoffMs
            config.restartMultiplier = try r.double(t, "restart_multiplier", in: 1.0...10.0) ?? config.restartMultiplier
            config.restartMaxBackoffMs = try r.int(t, "restart_max_backoff_ms", in: 0...3_600_000) ?? config.restartMaxBackoffMs
            config.crashLoopRestarts = try r.int(t, "crash_loop_restarts", in: 1...1000) ?? config.crashLoopRestarts
            config.crashLoopWindowMs = try r.int(t, "crash_loop_window_ms", in: 1000...86_400_000) ?? config.crashLoopWindowMs
            config.outboxPollMs = try r.int(t, "outbox_poll_ms", in: 5...60_000) ?? config.outboxPollMs
        }
        try reader.section(table, "security", allowed: ["roles_file", "operator_token_file", "operator_token_days", "token_default_days", "audit_key_file", "audit_database", "audit_retention_days"]) { r, t in
            config.rolesFile = try r.string(t, "roles_file") ?? config.rolesFile
            config.operatorTokenFile = try r.string(t, "operator_token_file") ?? config.operatorTokenFile
            config.operatorTokenDays = try r.int(t, "operator_token_days", in: 1...366) ?? config.operatorTokenDays
            config.tokenDefaultDays = try r.int(t, "token_default_days", in: 1...366) ?? config.tokenDefaultDays
            config.auditKeyFile = try r.string(t, "audit_key_file") ?? config.auditKeyFile
            config.auditDatabasePath = try r.string(t, "audit_database") ?? config.auditDatabasePath
            config.auditRetentionDays = try r.int(t, "audit_retention_days", in: 1095...36_500) ?? config.auditRetentionDays
        }
        try reader.section(table, "tcp", allowed: ["listen", "certificate", "private_key", "client_ca", "client_certificates", "insecure_no_tls"]) { r, t in
            config.tcpListen = try r.string(t, "listen") ?? config.tcpListen
            config.tlsCertificate = try r.string(t, "certificate") ?? config.tlsCertificate
            config.tlsPrivateKey = try r.string(t, "private_key") ?? config.tlsPrivateKey
            config.tlsClientCA = try r.string(t, "client_ca") ?? config.tlsClientCA
            config.tlsClientCertificates = try r.string(t, "client_certificates") ?? config.tlsClientCertificates
            config.tlsDisabled = try r.bool(t, "insecure_no_tls") ?? config.tlsDisabled
        }
        for key in table.keys where !["host", "plugins", "security", "tcp"].contains(key) {
            throw ConfigurationError("\(source): unknown section or key '\(key)' (known: [host], [plugins], [security], [tcp])")
        }
        if !["optional", "required"].contains(config.tlsClientCertificates) {
            throw ConfigurationError("\(source): tcp.client_certificates: '\(config.tlsClientCertificates)' must be \"optional\" or \"required\"")
        }
        if config.tlsClientCertificates == "required" && config.tlsClientCA.isEmpty {
            throw ConfigurationError("\(source): tcp.client_certificates = \"required\" needs tcp.client_ca (the CA that signs agencies' certificates)")
        }
        if !config.tcpListen.isEmpty {
            guard let endpoint = TCPEndpoint(config.tcpListen) else {
                throw ConfigurationError("\(source): tcp.listen: '\(config.tcpListen)' is not HOST:PORT (e.g. \"0.0.0.0:7443\")")
            }
            if config.tlsDisabled {
                guard endpoint.isLoopback else {
                    throw ConfigurationError("\(source): tcp.insecure_no_tls is allowed only on a loopback address (127.0.0.1 or ::1), not \(endpoint.host): tokens would cross the network in clear text")
                }
            } else if config.tlsCertificate.isEmpty || config.tlsPrivateKey.isEmpty {
                throw ConfigurationError("\(source): tcp.listen needs tcp.certificate and tcp.private_key (scripts/dev-certs.sh makes a local set)")
            }
        }
        for name in config.enabledPlugins where !PluginName.isValid(name) {
            throw ConfigurationError("\(source): plugins.enabled: '\(name)' is not a plugin name (lower-case letters, digits and '-')")
        }
        if Set(config.enabledPlugins).count != config.enabledPlugins.count {
            throw ConfigurationError("\(source): plugins.enabled lists a plugin twice")
        }
        return config
    }
}

/// A configuration problem, with the file and key in the message.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Plugin naming rules.
public enum PluginName {
    /// Lower-case letters, digits and '-', starting with a letter, at most 32 characters.
    public static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.count <= 32 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
