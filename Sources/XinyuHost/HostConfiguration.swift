import Foundation
import XinyuPluginSDK

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
    /// How often the host pings each ready plugin to see that it still runs (hang detection).
    public var livenessIntervalMs = 1_000
    /// A plugin that leaves a ping unanswered this long is degraded: new calls to it fail fast
    /// with UNAVAILABLE until it answers again.
    public var livenessTimeoutMs = 2_000
    /// A plugin unresponsive this long is killed (SIGKILL) and restarted; 0 = never.
    public var hungRestartMs = 10_000

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

    /// `city.time_zone`: the city's calendar, so that "today" (review dates, follow-ups, birth
    /// dates) is today in the city for the directory and every plugin, whatever the server's zone.
    public var cityCalendar = CityCalendar.shanghai

    /// `[metrics]`: Prometheus metrics, /healthz and /readyz over HTTP (docs/METRICS.md).
    public var metrics = MetricsSettings()
    /// `[limits]`: what one client may hold and how fast it may call (docs/LIMITS.md).
    public var limits = LimitSettings()

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
        do {
            return try check(read(SettingsTable.parse(text, source: source)), source: source)
        } catch let error as SettingsError {
            throw ConfigurationError(error.description)
        }
    }

    /// The sections and keys, read with the settings reader every plugin uses (errors name the key).
    private static func read(_ table: SettingsTable) throws -> HostConfiguration {
        var config = HostConfiguration()
        for key in table.keys where !["host", "plugins", "security", "tcp", "city", "metrics", "limits"].contains(key) {
            throw ConfigurationError("\(table.source): unknown section or key '\(key)' (known: [host], [plugins], [security], [tcp], [city], [metrics], [limits])")
        }
        if let t = try section(table, "host", allowed: ["socket", "database", "runtime_dir", "max_frame_bytes", "max_concurrent_streams", "drain_timeout_ms", "keepalive_ms", "event_loop_threads"]) {
            config.eventLoopThreads = try t.int("event_loop_threads", in: 0...256) ?? config.eventLoopThreads
            config.socketPath = try t.string("socket") ?? config.socketPath
            config.databasePath = try t.string("database") ?? config.databasePath
            config.runtimeDirectory = try t.string("runtime_dir") ?? config.runtimeDirectory
            config.maxFrameBytes = UInt32(try t.int("max_frame_bytes", in: 1024...(64 << 20)) ?? Int(config.maxFrameBytes))
            config.maxConcurrentStreams = UInt32(try t.int("max_concurrent_streams", in: 1...100_000) ?? Int(config.maxConcurrentStreams))
            config.drainTimeoutMs = try t.int("drain_timeout_ms", in: 0...600_000) ?? config.drainTimeoutMs
            config.keepaliveMs = try t.int("keepalive_ms", in: 100...600_000) ?? config.keepaliveMs
        }
        if let t = try section(table, "plugins", allowed: ["enabled", "directory", "settings_dir", "start_timeout_ms", "restart_initial_backoff_ms", "restart_multiplier", "restart_max_backoff_ms", "crash_loop_restarts", "crash_loop_window_ms", "outbox_poll_ms", "liveness_interval_ms", "liveness_timeout_ms", "hung_restart_ms"]) {
            config.enabledPlugins = try t.strings("enabled") ?? config.enabledPlugins
            config.pluginDirectory = try t.string("directory") ?? config.pluginDirectory
            config.pluginSettingsDirectory = try t.string("settings_dir") ?? config.pluginSettingsDirectory
            config.pluginStartTimeoutMs = try t.int("start_timeout_ms", in: 100...600_000) ?? config.pluginStartTimeoutMs
            config.restartInitialBackoffMs = try t.int("restart_initial_backoff_ms", in: 0...600_000) ?? config.restartInitialBackoffMs
            config.restartMultiplier = try t.double("restart_multiplier", in: 1.0...10.0) ?? config.restartMultiplier
            config.restartMaxBackoffMs = try t.int("restart_max_backoff_ms", in: 0...3_600_000) ?? config.restartMaxBackoffMs
            config.crashLoopRestarts = try t.int("crash_loop_restarts", in: 1...1000) ?? config.crashLoopRestarts
            config.crashLoopWindowMs = try t.int("crash_loop_window_ms", in: 1000...86_400_000) ?? config.crashLoopWindowMs
            config.outboxPollMs = try t.int("outbox_poll_ms", in: 5...60_000) ?? config.outboxPollMs
            config.livenessIntervalMs = try t.int("liveness_interval_ms", in: 10...600_000) ?? config.livenessIntervalMs
            config.livenessTimeoutMs = try t.int("liveness_timeout_ms", in: 10...600_000) ?? config.livenessTimeoutMs
            config.hungRestartMs = try t.int("hung_restart_ms", in: 0...3_600_000) ?? config.hungRestartMs
        }
        if let t = try section(table, "security", allowed: ["roles_file", "operator_token_file", "operator_token_days", "token_default_days", "audit_key_file", "audit_database", "audit_retention_days"]) {
            config.rolesFile = try t.string("roles_file") ?? config.rolesFile
            config.operatorTokenFile = try t.string("operator_token_file") ?? config.operatorTokenFile
            config.operatorTokenDays = try t.int("operator_token_days", in: 1...366) ?? config.operatorTokenDays
            config.tokenDefaultDays = try t.int("token_default_days", in: 1...366) ?? config.tokenDefaultDays
            config.auditKeyFile = try t.string("audit_key_file") ?? config.auditKeyFile
            config.auditDatabasePath = try t.string("audit_database") ?? config.auditDatabasePath
            config.auditRetentionDays = try t.int("audit_retention_days", in: 1095...36_500) ?? config.auditRetentionDays
        }
        if let t = try section(table, "tcp", allowed: ["listen", "certificate", "private_key", "client_ca", "client_certificates", "insecure_no_tls"]) {
            config.tcpListen = try t.string("listen") ?? config.tcpListen
            config.tlsCertificate = try t.string("certificate") ?? config.tlsCertificate
            config.tlsPrivateKey = try t.string("private_key") ?? config.tlsPrivateKey
            config.tlsClientCA = try t.string("client_ca") ?? config.tlsClientCA
            config.tlsClientCertificates = try t.string("client_certificates") ?? config.tlsClientCertificates
            config.tlsDisabled = try t.bool("insecure_no_tls") ?? config.tlsDisabled
        }
        if let t = try section(table, "city", allowed: ["time_zone"]), let zone = try t.string("time_zone") {
            guard let calendar = CityCalendar(timeZoneIdentifier: zone) else {
                throw t.error("time_zone", "'\(zone)' is not a time zone (an IANA name such as \"Asia/Shanghai\")")
            }
            config.cityCalendar = calendar
        }
        if let t = try section(table, "metrics", allowed: MetricsSettings.keys) { config.metrics = try MetricsSettings(t) }
        if let t = try section(table, "limits", allowed: LimitSettings.keys) { config.limits = try LimitSettings(t) }
        return config
    }

    /// A section's table with its keys checked, or nil when the file has no such section.
    private static func section(_ table: SettingsTable, _ name: String, allowed: Set<String>) throws(SettingsError) -> SettingsTable? {
        guard let section = try table.subtable(name) else { return nil }
        try section.allowOnly(allowed)
        return section
    }

    /// Rules across keys.
    private static func check(_ config: HostConfiguration, source: String) throws -> HostConfiguration {
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
        try config.metrics.check(source: source)
        try config.limits.check(source: source)
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
