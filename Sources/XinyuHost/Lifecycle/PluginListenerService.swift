import Logging
import ServiceLifecycle
import XinyuRPC

/// The private socket plugins connect to. Bound before the service group starts (a bind error
/// is a start-up error); on graceful shutdown it stops accepting and closes what plugin
/// connections remain, which by then belong to stopped plugins.
struct PluginListenerService: Service {
    let listener: RPCListener
    let connections: ConnectionRegistry

    func run() async throws {
        // Returns on graceful shutdown; throws on cancellation. Either way the socket closes.
        try? await gracefulShutdown()
        await listener.close()
        for connection in connections.all { connection.close(reason: "host stopped") }
    }
}
