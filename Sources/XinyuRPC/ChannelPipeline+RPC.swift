import Logging
import NIOCore
import XinyuWire

extension Channel {
    /// Adds the frame codec and a protocol engine to this channel and returns the connection.
    /// Must run on the channel's event loop (inside a channel initializer).
    func addRPCHandlers(
        role: HandshakeStateMachine.Role, configuration: ConnectionConfiguration, delegate: RPCConnectionDelegate,
        credentials: Xinyu_Wire_V1_Credentials? = nil, manifest: Xinyu_Wire_V1_PluginManifest? = nil, logger: Logger
    ) throws -> (RPCConnection, EventLoopFuture<Void>) {
        let established = eventLoop.makePromise(of: Void.self)
        let handler = ConnectionHandler(
            role: role, configuration: configuration, delegate: delegate,
            credentials: credentials, manifest: manifest, established: established, logger: logger)
        let connection = RPCConnection(channel: self, handler: handler)
        handler.connection = connection
        let sync = pipeline.syncOperations
        try sync.addHandler(ByteToMessageHandler(FrameDecoder(maxFrameBytes: configuration.maxFrameBytes)))
        try sync.addHandler(MessageToByteHandler(FrameEncoder()))
        try sync.addHandler(handler)
        // The connection object must live as long as the channel: the handler only holds it weakly.
        closeFuture.whenComplete { _ in _ = connection }
        return (connection, established.futureResult)
    }
}
