import Foundation
import Logging
import NIOCore
import NIOPosix
import Testing
import XinyuRPC
@testable import XinyuHost

@Suite("Host start-up failure undoes what it started")
struct HostStartupFailureTests {
    @Test("a TCP port that cannot be bound fails the start and leaves no socket listening")
    func bindFailureLeavesNothingRunning() async throws {
        let directory = URL(fileURLWithPath: "/tmp/xb-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Something else already listens on the port the host is told to use.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let squatter = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(squatter.localAddress?.port)

        let rolesPath = directory.appendingPathComponent("roles.toml").path
        try "[operator]\ndescription = \"operator\"\npermissions = [\"admin.*\"]\n".write(toFile: rolesPath, atomically: true, encoding: .utf8)
        var configuration = HostConfiguration()
        configuration.socketPath = directory.appendingPathComponent("x.sock").path
        configuration.databasePath = directory.appendingPathComponent("xinyu.sqlite").path
        configuration.runtimeDirectory = directory.appendingPathComponent("run").path
        configuration.rolesFile = rolesPath
        configuration.operatorTokenFile = directory.appendingPathComponent("operator.token").path
        configuration.auditKeyFile = directory.appendingPathComponent("audit.key").path
        configuration.tcpListen = "127.0.0.1:\(port)"
        configuration.tlsDisabled = true
        configuration.eventLoopThreads = 1
        let server = try HostServer(configuration: configuration, logger: Logger(label: "test.host"))

        let failure: (any Error)? = await {
            do { try await server.run() } catch { return error }
            return nil
        }()
        let reason = String(describing: failure)
        #expect(reason.contains("in use"), "the start must fail on the busy port, not earlier: \(reason)")
        // The sockets bound before the failing one are closed and removed again.
        #expect(!FileManager.default.fileExists(atPath: configuration.socketPath), "the operator socket was left listening")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("run/plugins.sock").path), "the plugin socket was left listening")
        await #expect(throws: (any Error).self) {
            _ = try await ClientBootstrap(group: group).connect(unixDomainSocketPath: configuration.socketPath).get()
        }
        try await squatter.close()
        try await group.shutdownGracefully()
    }
}
