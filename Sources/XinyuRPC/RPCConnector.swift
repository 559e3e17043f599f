import Logging
import NIOCore
import NIOPosix
import XinyuWire

/// Opens protocol connections to a listening peer.
public enum RPCConnector {
    /// Connects, performs the handshake and returns the ready connection.
    ///
    /// Throws an ``RPCError`` with UNAVAILABLE when nothing listens, or with the peer's own code
    /// and message when it refuses the handshake (e.g. UNAUTHENTICATED).
    public static func connect(
        to address: PeerAddress, group: EventLoopGroup, configuration: ConnectionConfiguration,
        credentials: Xinyu_Wire_V1_Credentials? = nil, manifest: Xinyu_Wire_V1_PluginManifest? = nil,
        delegate: RPCConnectionDelegate, logger: Logger
    ) async throws -> RPCConnection {
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    _ = try channel.addRPCHandlers(
                        role: .opener, configuration: configuration, delegate: delegate,
                        credentials: credentials, manifest: manifest, logger: logger)
                }
            }
        let channel: Channel
        do {
            switch address {
            case .unix(let path): channel = try await bootstrap.connect(unixDomainSocketPath: path).get()
            case .tcp(let host, let port):
                channel = try await bootstrap.channelOption(.socketOption(.tcp_nodelay), value: 1).connect(host: host, port: port).get()
            }
        } catch {
            throw RPCError(.unavailable, "cannot connect to \(address): \(error)")
        }
        let (connection, established) = try await channel.eventLoop.submit {
            let handler = try channel.pipeline.syncOperations.handler(type: ConnectionHandler.self)
            return (handler.connection!, handler.established.futureResult)
        }.get()
        try await established.get()
        return connection
    }
}
