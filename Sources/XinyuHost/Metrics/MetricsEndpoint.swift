import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The HTTP listener for `/metrics`, `/healthz` and `/readyz` (``MetricsHTTPHandler``).
///
/// Bound with the other listeners, before the service group runs, so that a port in use fails
/// the start with the others; as a service it only waits for shutdown and then closes.
struct MetricsEndpoint: Service {
    let channel: Channel

    /// The port it listens on (the real one when 0 was asked for).
    var port: Int { channel.localAddress?.port ?? 0 }

    /// Binds `endpoint` on `group`; requests are answered by `respond`.
    static func bind(_ endpoint: TCPEndpoint, group: EventLoopGroup, respond: @escaping MetricsHTTPHandler.Responder) async throws -> MetricsEndpoint {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(respond: respond))
                }
            }
            .bind(host: endpoint.host, port: endpoint.port).get()
        return MetricsEndpoint(channel: channel)
    }

    /// Closes the listener (connections answering a scrape finish on their own).
    func close() async { try? await channel.close() }

    func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}

/// Puts together the answers of the metrics endpoint.
struct MetricsResponder: Sendable {
    let metrics: HostMetrics
    let sampler: MetricsSampler
    let readiness: Readiness

    func respond(_ path: String) async -> (status: HTTPResponseStatus, contentType: String, body: String) {
        switch path {
        case "/metrics":
            await sampler.sample()
            return (.ok, "text/plain; version=0.0.4; charset=utf-8", metrics.exposition())
        case "/healthz":
            return (.ok, "text/plain; charset=utf-8", "ok\n")
        case "/readyz":
            let problems = await readiness.problems()
            return problems.isEmpty
                ? (.ok, "text/plain; charset=utf-8", "ready\n")
                : (.serviceUnavailable, "text/plain; charset=utf-8", "not ready\n" + problems.map { $0 + "\n" }.joined())
        default:
            return (.notFound, "text/plain; charset=utf-8", "no page \(path); try /metrics, /healthz or /readyz\n")
        }
    }
}
