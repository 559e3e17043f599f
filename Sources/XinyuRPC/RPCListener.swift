import Foundation
import Logging
import NIOCore
import NIOPosix
import XinyuWire

/// Accepts protocol connections on a Unix socket or a TCP port.
public final class RPCListener: Sendable {
    /// The listening channel.
    public let channel: Channel
    /// Where it listens (with the real port when 0 was asked for).
    public let address: PeerAddress

    private init(channel: Channel, address: PeerAddress) {
        self.channel = channel
        self.address = address
    }

    /// Binds and starts accepting. A Unix socket file left over from an earlier run is
    /// replaced; its permissions are set to `unixPermissions` (owner-only by default) before
    /// any peer can connect.
    ///
    /// With `tls`, every accepted connection runs a TLS handshake before any protocol frame;
    /// a peer whose client certificate the settings refuse never reaches the delegate. The
    /// certificate files are read once, here: a ``TLSSettingsError`` naming the file is thrown
    /// before anything is bound.
    public static func bind(
        _ address: PeerAddress, group: EventLoopGroup, configuration: ConnectionConfiguration,
        unixPermissions: mode_t = 0o600, tls: TLSServerSettings? = nil, logger: Logger,
        delegate: @escaping @Sendable (Channel) -> RPCConnectionDelegate
    ) async throws -> RPCListener {
        let tlsContext = try tls?.makeContext()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    _ = try channel.addRPCHandlers(
                        role: .acceptor, configuration: configuration, delegate: delegate(channel),
                        tls: tlsContext.map { .server($0) }, logger: logger)
                }
            }
        switch address {
        case .unix(let path):
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            // Create the socket with no permissions for others from the first instant.
            let oldMask = umask(0o077)
            defer { umask(oldMask) }
            let channel = try await bootstrap.bind(unixDomainSocketPath: path).get()
            chmod(path, unixPermissions)
            return RPCListener(channel: channel, address: address)
        case .tcp(let host, let port):
            let channel = try await bootstrap
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: host, port: port).get()
            let actualPort = channel.localAddress?.port ?? port
            return RPCListener(channel: channel, address: .tcp(host: host, port: actualPort))
        }
    }

    /// Stops accepting new connections (existing ones go on).
    public func close() async {
        try? await channel.close()
        if case .unix(let path) = address { try? FileManager.default.removeItem(atPath: path) }
    }
}
