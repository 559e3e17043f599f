import Logging
import NIOCore
import NIOSSL
import XinyuWire

/// Which side of TLS a channel plays, with what it needs to build its handler.
enum TLSChannelRole: Sendable {
    case server(NIOSSLContext)
    case client(NIOSSLContext, serverHostname: String?)
}

extension Channel {
    /// Adds TLS (when asked), the frame codec and a protocol engine to this channel and returns
    /// the connection. Must run on the channel's event loop (inside a channel initializer).
    ///
    /// ```
    /// socket <-> NIOSSLHandler <-> BackPressureHandler <-> FrameDecoder/FrameEncoder <-> ConnectionHandler
    /// ```
    /// TLS goes first so the codec only ever sees decrypted bytes; the opener's Hello, written
    /// as soon as the channel is active, waits in the TLS handler until its handshake is done.
    /// NIO's `BackPressureHandler` (only with ``ConnectionConfiguration/maxUnreadOutboundBytes``)
    /// holds back reads while the channel is not writable.
    func addRPCHandlers(
        role: HandshakeStateMachine.Role, configuration: ConnectionConfiguration, delegate: RPCConnectionDelegate,
        credentials: Xinyu_Wire_V1_Credentials? = nil, manifest: Xinyu_Wire_V1_PluginManifest? = nil,
        tls: TLSChannelRole? = nil, logger: Logger
    ) throws -> (RPCConnection, EventLoopFuture<Void>) {
        let established = eventLoop.makePromise(of: Void.self)
        let handler = ConnectionHandler(
            role: role, configuration: configuration, delegate: delegate,
            credentials: credentials, manifest: manifest, established: established, logger: logger)
        let connection = RPCConnection(channel: self, handler: handler)
        handler.connection = connection
        let sync = pipeline.syncOperations
        do {
            switch tls {
            case .server(let context)?:
                try sync.addHandler(NIOSSLServerHandler(context: context))
            case .client(let context, let serverHostname)?:
                try sync.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverHostname))
            case nil:
                break
            }
            if configuration.maxUnreadOutboundBytes != nil {
                try sync.addHandler(BackPressureHandler())
            }
            try sync.addHandler(ByteToMessageHandler(FrameDecoder(maxFrameBytes: configuration.maxFrameBytes)))
            try sync.addHandler(MessageToByteHandler(FrameEncoder()))
            try sync.addHandler(handler)
        } catch {
            // Nobody will wait on a connection that never got its handlers.
            established.fail(error)
            throw error
        }
        // The connection object must live as long as the channel: the handler only holds it weakly.
        closeFuture.whenComplete { _ in _ = connection }
        return (connection, established.futureResult)
    }
}
