import Foundation
import NIOConcurrencyHelpers
import Testing
import XinyuClient
import XinyuCoreAPI
import XinyuFixtureAPI
import XinyuRPC
import XinyuWire

/// A real `xinyu-host` process with real plugin processes, in a temporary folder of its own.
final class RunningHost: Sendable {
    let directory: URL
    let socketPath: String
    let process: Process
    private let output = NIOLockedValueBox(Data())
    private let errors = NIOLockedValueBox(Data())

    /// Where `swift build` put the executables: beside the test bundle.
    static var binDirectory: URL {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        if dir.lastPathComponent == "MacOS" { dir = dir.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }
        return dir
    }

    static func configuration(socket: String, dir: URL, plugins: [String], extra: String = "") -> String {
        """
        [host]
        socket = "\(socket)"
        database = "\(dir.path)/xinyu.sqlite"
        runtime_dir = "\(dir.path)/run"
        keepalive_ms = 500
        drain_timeout_ms = 3000

        [plugins]
        enabled = [\(plugins.map { "\"\($0)\"" }.joined(separator: ", "))]
        restart_initial_backoff_ms = 200
        restart_max_backoff_ms = 1000
        crash_loop_restarts = 20
        outbox_poll_ms = 20
        \(extra)
        """
    }

    /// Starts a host and waits until it prints its ready line and every plugin is ready.
    init(plugins: [String] = ["probe", "tally"], extraConfig: String = "") async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("xinyu-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Unix socket paths are limited to ~100 bytes: keep it short.
        socketPath = directory.appendingPathComponent("x.sock").path
        let configPath = directory.appendingPathComponent("xinyu.toml").path
        try Self.configuration(socket: socketPath, dir: directory, plugins: plugins, extra: extraConfig).write(toFile: configPath, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = Self.binDirectory.appendingPathComponent("xinyu-host")
        process.arguments = ["--config", configPath, "--log-level", ProcessInfo.processInfo.environment["XINYU_TEST_LOG_LEVEL"] ?? "info"]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let output = self.output
        let errors = self.errors
        out.fileHandleForReading.readabilityHandler = { h in let d = h.availableData; output.withLockedValue { $0.append(d) } }
        err.fileHandleForReading.readabilityHandler = { h in let d = h.availableData; errors.withLockedValue { $0.append(d) } }
        try process.run()
        try await waitUntil("host ready line", timeout: .seconds(30)) { self.stdout.contains("ready:") }
        try await waitForPlugins(plugins)
    }

    var stdout: String { String(decoding: output.withLockedValue { $0 }, as: UTF8.self) }
    var log: String { String(decoding: errors.withLockedValue { $0 }, as: UTF8.self) }

    func client() async throws -> XinyuClient {
        try await XinyuClient.connect(to: .unix(path: socketPath), name: "e2e-test")
    }

    func pluginStatus() async throws -> [String: (state: String, pid: Int32, restarts: UInt32)] {
        let client = try await client()
        defer { Task { await client.close() } }
        let status = try await client.call("xinyu.host.v1.Host/Status", Xinyu_Host_V1_StatusRequest(), as: Xinyu_Host_V1_StatusResponse.self)
        return Dictionary(uniqueKeysWithValues: status.plugins.map { ($0.name, ($0.state, $0.pid, $0.restarts)) })
    }

    func waitForPlugins(_ names: [String], timeout: Duration = .seconds(30)) async throws {
        try await waitUntil("plugins \(names) ready", timeout: timeout) {
            guard let status = try? await self.pluginStatus() else { return false }
            return names.allSatisfy { status[$0]?.state == "ready" }
        }
    }

    /// Sends SIGTERM and waits for the exit status.
    func stop() async throws -> Int32 {
        if process.isRunning { process.terminate() }
        try await waitUntil("host exit", timeout: .seconds(20)) { !self.process.isRunning }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Polls a condition until it holds or the timeout passes.
func waitUntil(_ what: String, timeout: Duration, _ condition: @Sendable () async -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw WaitTimeout(what: what)
}

struct WaitTimeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}
