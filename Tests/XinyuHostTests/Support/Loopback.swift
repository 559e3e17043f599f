import Foundation
import Logging
import NIOCore
import NIOPosix
import XinyuRPC
import XinyuWire

/// Real protocol connections over Unix sockets in a temporary folder, all on one event-loop
/// thread: a call routed on one connection and forwarded on another then runs in one go, as
/// it does when the host's client and plugin connections share a loop.
final class Loopback: Sendable {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let directory: URL
    let logger = Logger(label: "test.loopback")

    init() throws {
        // Unix socket paths are limited to ~100 bytes: keep it short.
        directory = URL(fileURLWithPath: "/tmp/xh-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Binds a listener whose connections get `delegate`.
    func listen(_ name: String, configuration: ConnectionConfiguration = ConnectionConfiguration(name: "test-acceptor"),
                delegate: @escaping @Sendable (Channel) -> RPCConnectionDelegate) async throws -> RPCListener {
        try await RPCListener.bind(.unix(path: directory.appendingPathComponent(name).path), group: group, configuration: configuration,
                                   logger: logger, delegate: delegate)
    }

    /// Connects to a listener and completes the handshake.
    func connect(_ listener: RPCListener, configuration: ConnectionConfiguration = ConnectionConfiguration(name: "test-opener")) async throws -> RPCConnection {
        try await RPCConnector.connect(to: listener.address, group: group, configuration: configuration, delegate: Opener(), logger: logger)
    }

    func shutdown() async {
        try? await group.shutdownGracefully()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// An opener that serves nothing.
final class Opener: RPCConnectionDelegate {}

/// An acceptor that lets everyone in as `principal` and hands calls to `onCall`.
final class Acceptor: RPCConnectionDelegate {
    let principal: Xinyu_Wire_V1_Principal
    let onCall: @Sendable (InboundCall) -> Void

    init(principal: String = "test", onCall: @escaping @Sendable (InboundCall) -> Void = { _ in }) {
        var wire = Xinyu_Wire_V1_Principal()
        wire.id = principal
        self.principal = wire
        self.onCall = onCall
    }

    func authenticate(hello: Xinyu_Wire_V1_Hello, connection: RPCConnection) async -> Result<Xinyu_Wire_V1_Principal, RPCError> {
        .success(principal)
    }

    func callStarted(_ call: InboundCall) { onCall(call) }
}

/// The first element of `stream`, or nil when `timeout` passes first.
func first<Element: Sendable>(of stream: AsyncStream<Element>, within timeout: Duration) async -> Element? {
    await withTaskGroup(of: Element?.self) { group in
        group.addTask {
            for await element in stream { return element }
            return nil
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        let result = await group.next() ?? nil
        group.cancelAll()
        return result
    }
}
