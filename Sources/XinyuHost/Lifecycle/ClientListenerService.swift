import Logging
import ServiceLifecycle
import XinyuRPC

/// The sockets clients connect to (the operator's Unix socket, and TCP when configured).
///
/// Bound before the service group starts. On graceful shutdown, the first service to stop: it
/// stops accepting, sends every client a go_away, waits (on the router's last call ending, not a
/// poll) up to `drainTimeout` for calls in flight, then closes what is left.
struct ClientListenerService: Service {
    let listeners: [RPCListener]
    let clients: ConnectionRegistry
    let router: CallRouter
    let drainTimeout: Duration
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        logger.info("shutting down", metadata: ["in_flight": "\(router.inFlightCount)"])
        for listener in listeners { await listener.close() }
        for connection in clients.all { connection.goAway(reason: "host is shutting down") }
        if await !router.drain(timeout: drainTimeout) {
            logger.warning("drain timeout: ending calls still in flight", metadata: ["calls": "\(router.inFlightCount)"])
        }
        for connection in clients.all { connection.close(reason: "host stopped") }
        // Closing abandons what was left; give that work a moment to end and be audited.
        _ = await router.drain(timeout: .seconds(1))
    }
}
