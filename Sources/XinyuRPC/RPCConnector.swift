import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import XinyuWire

/// Opens protocol connections to a listening peer.
public enum RPCConnector {
    /// Connects, performs the handshake and returns the ready connection.
    ///
    /// Throws an ``RPCError`` with UNAVAILABLE when nothing listens, or with the peer's own code
    /// and message when it refuses the handshake (e.g. UNAUTHENTICATED); its `cause` is the
    /// ``RPCTransportError`` saying which step failed.
    ///
    /// With `tls`, the connection is encrypted and the server's certificate verified first; a
    /// failed TLS handshake (untrusted server, client certificate refused) throws UNAVAILABLE
    /// with "TLS handshake failed: ..." in its message, and bad settings throw a
    /// ``TLSSettingsError`` before anything is connected.
    public static func connect(
        to address: PeerAddress, group: EventLoopGroup, configuration: ConnectionConfiguration,
        credentials: Xinyu_Wire_V1_Credentials? = nil, manifest: Xinyu_Wire_V1_PluginManifest? = nil,
        tls: TLSClientSettings? = nil, delegate: RPCConnectionDelegate, logger: Logger
    ) async throws -> RPCConnection {
        let host: String? = if case .tcp(let host, _) = address { host } else { nil }
        let tlsRole: TLSChannelRole? = try tls.map {
            .client(try $0.makeContext(), serverHostname: $0.serverHostname(connectingTo: host))
        }
        // Kept from the initializer: a refused TLS handshake can close the channel (and empty
        // its pipeline) before this task could look the handler up again.
        let added = NIOLockedValueBox<(RPCConnection, EventLoopFuture<Void>)?>(nil)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let result = try channel.addRPCHandlers(
                        role: .opener, configuration: configuration, delegate: delegate,
                        credentials: credentials, manifest: manifest, tls: tlsRole, logger: logger)
                    added.withLockedValue { $0 = result }
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
            throw RPCTransportError(.connectFailed, .unavailable, "cannot connect to \(address): \(error)").rpcError
        }
        guard let (connection, established) = added.withLockedValue({ $0 }) else {
            channel.close(promise: nil)
            throw RPCError(.internal, "connection to \(address) was set up without its protocol handler")
        }
        do {
            try await established.get()
        } catch let error as RPCTransportError {
            throw error.rpcError
        }
        return connection
    }
}
