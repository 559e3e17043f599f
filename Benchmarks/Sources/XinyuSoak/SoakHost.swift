import Foundation
import XinyuClient
import XinyuCoreAPI

/// A real `xinyu-host` with every plugin of the run, on a fresh database in a folder of its own,
/// for the length of a soak. Its log (warnings and worse) goes to `host.log` in that folder.
final class SoakHost: @unchecked Sendable {
    // Safe: `output` is only touched under `lock`; everything else is set once in init.
    let directory: URL
    let socketPath: String
    let plugins: [String]
    private let process = Process()
    private let lock = NSLock()
    private var output = Data()

    init(binDirectory: URL, directory: URL, plugins: [String], settingsDir: String, rolesFile: String) throws {
        self.directory = directory
        self.plugins = plugins
        socketPath = directory.appendingPathComponent("x.sock").path
        let config = """
            [host]
            socket = "\(socketPath)"
            database = "\(directory.path)/xinyu.sqlite"
            runtime_dir = "\(directory.path)/run"

            [plugins]
            enabled = [\(plugins.map { "\"\($0)\"" }.joined(separator: ", "))]
            settings_dir = "\(settingsDir)"

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
        _ = FileManager.default.createFile(atPath: directory.appendingPathComponent("host.log").path, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: directory.appendingPathComponent("host.log").path)
        out.fileHandleForReading.readabilityHandler = { [self] handle in
            let data = handle.availableData
            lock.withLock { output.append(data) }
        }
    }

    /// The host's process id.
    var pid: Int32 { process.processIdentifier }

    /// Starts the host and waits until it printed its ready line and every plugin is ready.
    func start() async throws {
        try process.run()
        try await waitUntil("the host's ready line", timeout: 120) {
            self.lock.withLock { String(decoding: self.output, as: UTF8.self).contains("ready:") }
        }
        try await waitUntil("plugins \(plugins) ready", timeout: 120) {
            guard let states = try? await self.pluginStates() else { return false }
            return self.plugins.allSatisfy { states[$0]?.state == "ready" }
        }
    }

    /// Every plugin's status (state, pid, restarts) by name, from the host's Status call.
    func pluginStates() async throws -> [String: Xinyu_Host_V1_PluginStatus] {
        try await operatorClient().closing { client in
            let status = try await client.call("xinyu.host.v1.Host/Status", Xinyu_Host_V1_StatusRequest(), as: Xinyu_Host_V1_StatusResponse.self)
            return Dictionary(status.plugins.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// A connection as the local operator, known by its Unix-socket credentials.
    func operatorClient() async throws -> XinyuClient {
        try await XinyuClient.connect(to: .unix(path: socketPath), name: "xinyu-soak-operator")
    }

    /// A connection with an API token.
    func client(token: String) async throws -> XinyuClient {
        try await XinyuClient.connect(to: .unix(path: socketPath), name: "xinyu-soak", token: token)
    }

    /// Stops the host (SIGTERM, then SIGKILL after ten seconds).
    func stop() async {
        if process.isRunning { process.terminate() }
        for _ in 0..<200 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// Polls a condition every 50 ms until it holds or `timeout` seconds pass.
func waitUntil(_ what: String, timeout: Double, _ condition: @Sendable () async -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw SoakError("timed out after \(Int(timeout)) s waiting for \(what)")
}

/// A soak step that could not run, with a message a person can act on.
struct SoakError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
