import Foundation
import XinyuClient
import XinyuCoreAPI
import XinyuRPC

/// A real `xinyu-host` with its real plugins, on a fresh database in a folder of its own.
final class HostLauncher: @unchecked Sendable {
    // Safe: `output` is only touched under `lock`; the rest is set once in init.
    let directory: URL
    let socketPath: String
    let databasePath: String
    let process = Process()
    private let lock = NSLock()
    private var output = Data()

    /// When `start` was called and when the host and every plugin were ready (W5).
    private(set) var startSeconds = 0.0
    /// Plugin name → pid, once ready.
    private(set) var pluginPIDs: [String: Int32] = [:]
    /// The token the workloads call with (see ``BenchAuth``), once started.
    private(set) var workloadToken = ""

    init(binDirectory: URL, directory: URL, plugins: [String], settingsDir: String, rolesFile: String) throws {
        self.directory = directory
        socketPath = directory.appendingPathComponent("x.sock").path
        databasePath = directory.appendingPathComponent("xinyu.sqlite").path
        let config = """
            [host]
            socket = "\(socketPath)"
            database = "\(databasePath)"
            runtime_dir = "\(directory.path)/run"
            max_concurrent_streams = 4096
            \(ProcessInfo.processInfo.environment["XINYU_BENCH_HOST_THREADS"].map { "event_loop_threads = \($0)" } ?? "")

            [plugins]
            enabled = [\(plugins.map { "\"\($0)\"" }.joined(separator: ", "))]
            settings_dir = "\(settingsDir.isEmpty ? directory.path + "/plugins" : settingsDir)"
            outbox_poll_ms = 50

            [security]
            roles_file = "\(rolesFile)"
            operator_token_file = "\(directory.path)/operator.token"
            audit_key_file = "\(directory.path)/audit.key"
            """
        let configPath = directory.appendingPathComponent("xinyu.toml").path
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        process.executableURL = binDirectory.appendingPathComponent("xinyu-host")
        process.arguments = ["--config", configPath, "--log-level", "warning"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        out.fileHandleForReading.readabilityHandler = { [self] h in
            let d = h.availableData
            lock.withLock { output.append(d) }
        }
    }

    var pid: Int32 { process.processIdentifier }

    /// Starts the host and waits until it printed its ready line and every plugin is ready.
    func start(plugins: [String]) async throws {
        let t0 = Date()
        try process.run()
        try await poll("host ready line", timeout: 60, interval: 0.002) {
            self.lock.withLock { String(decoding: self.output, as: UTF8.self).contains("ready:") }
        }
        // One connection for the polling: the first Status call after connecting is what we time.
        let client = try await BenchAuth.operatorClient(socketPath: socketPath)
        defer { Task { await client.close() } }
        try await poll("plugins \(plugins) ready", timeout: 60, interval: 0.005) {
            guard let status = try? await client.call("xinyu.host.v1.Host/Status", Xinyu_Host_V1_StatusRequest(), as: Xinyu_Host_V1_StatusResponse.self) else { return false }
            let ready = status.plugins.filter { $0.state == "ready" }
            guard plugins.allSatisfy({ name in ready.contains { $0.name == name } }) else { return false }
            self.pluginPIDs = Dictionary(uniqueKeysWithValues: ready.map { ($0.name, $0.pid) })
            return true
        }
        startSeconds = Date().timeIntervalSince(t0)
        workloadToken = try await BenchAuth.issueWorkloadToken(socketPath: socketPath)
    }

    func stop() async {
        if process.isRunning { process.terminate() }
        for _ in 0..<200 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// Polls a condition until it holds or the timeout passes.
func poll(_ what: String, timeout: Double, interval: Double, _ condition: @Sendable () async -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if await condition() { return }
        try await Task.sleep(for: .seconds(interval))
    }
    throw BenchError("timed out waiting for \(what)")
}

/// A benchmark step that could not run, with a message a person can act on.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
