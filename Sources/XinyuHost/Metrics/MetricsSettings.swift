import XinyuPluginSDK

/// `[metrics]` in the host configuration: where Prometheus metrics, `/healthz` and `/readyz`
/// are served over plain HTTP (docs/METRICS.md).
///
/// Off in the built-in defaults (so that test hosts and embedded hosts open no port); the
/// shipped `Config/xinyu.toml` turns it on, on the loopback interface. The endpoint carries no
/// personal data, but it does tell an outsider what runs and how busy it is: a non-loopback
/// address needs `allow_remote = true`, said on purpose.
public struct MetricsSettings: Sendable, Equatable {
    /// `metrics.enabled`: serve the HTTP endpoint at all.
    public var enabled = false
    /// `metrics.listen`: "HOST:PORT"; port 0 picks a free one (the ready line names it).
    public var listen = "127.0.0.1:9464"
    /// `metrics.allow_remote`: allow a `listen` address that is not loopback.
    public var allowRemote = false

    static let keys: Set<String> = ["enabled", "listen", "allow_remote"]

    /// The built-in defaults: off, 127.0.0.1:9464 when turned on.
    public init() {}

    init(_ t: SettingsTable) throws(SettingsError) {
        enabled = try t.bool("enabled") ?? enabled
        listen = try t.string("listen") ?? listen
        allowRemote = try t.bool("allow_remote") ?? allowRemote
    }

    /// The address to bind, when enabled.
    var endpoint: TCPEndpoint? { enabled ? TCPEndpoint(listen) : nil }

    func check(source: String) throws {
        guard let endpoint = TCPEndpoint(listen) else {
            throw ConfigurationError("\(source): metrics.listen: '\(listen)' is not HOST:PORT (e.g. \"127.0.0.1:9464\")")
        }
        if enabled && !endpoint.isLoopback && !allowRemote {
            throw ConfigurationError("\(source): metrics.listen: '\(listen)' is not a loopback address; metrics are served without TLS or login, so set metrics.allow_remote = true to serve them on \(endpoint.host) on purpose, or listen on 127.0.0.1")
        }
    }
}
