import Logging
import NIOCore
import NIOPosix
import XinyuRPC
import XinyuWire

/// A TLS listener on 127.0.0.1 with an ``EchoServer`` behind it, and a way to connect to it.
struct TLSHarness {
    let group: MultiThreadedEventLoopGroup
    let listener: RPCListener
    let server: EchoServer

    static func configuration(_ name: String) -> ConnectionConfiguration {
        var configuration = ConnectionConfiguration(name: name)
        // Refused handshakes fail at once; this only bounds a hung one (generous for loaded CI machines).
        configuration.handshakeTimeout = .seconds(10)
        return configuration
    }

    /// Runs `body` against a listener with `tls`, then closes everything.
    static func with<T>(_ tls: TLSServerSettings, _ body: (TLSHarness) async throws -> T) async throws -> T {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = EchoServer()
        do {
            let listener = try await RPCListener.bind(
                .tcp(host: "127.0.0.1", port: 0), group: group, configuration: configuration("test-server"), tls: tls,
                logger: Logger(label: "test.server")
            ) { _ in server }
            let harness = TLSHarness(group: group, listener: listener, server: server)
            do {
                let result = try await body(harness)
                await listener.close()
                try await group.shutdownGracefully()
                return result
            } catch {
                await listener.close()
                throw error
            }
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Connects with `tls` and completes the protocol handshake.
    func connect(_ tls: TLSClientSettings?) async throws -> RPCConnection {
        try await RPCConnector.connect(
            to: listener.address, group: group, configuration: Self.configuration("test-client"), tls: tls,
            delegate: SilentClient(), logger: Logger(label: "test.client"))
    }

    /// One unary call that the server echoes.
    func echo(_ text: String, on connection: RPCConnection) async throws -> String {
        var start = Xinyu_Wire_V1_CallStart()
        start.method = "xinyu.test.v1.Echo/Echo"
        let reply = try await connection.unary(start, payload: ByteBuffer(string: text))
        return String(buffer: reply)
    }

    /// Waits (briefly) until the server has seen `count` connections close.
    func waitForServerCloses(_ count: Int) async throws -> [String] {
        for _ in 0..<200 where server.closeReasons.count < count {
            try await Task.sleep(for: .milliseconds(10))
        }
        return server.closeReasons
    }
}
