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

    /// The repository's Config folder (the shipped roles file is part of what is tested).
    static var repositoryConfig: URL {
        URL(fileURLWithPath: #filePath.components(separatedBy: "/Tests/")[0]).appendingPathComponent("Config")
    }

    /// The shipped roles plus one for the test principal that the e2e suites call as.
    static func rolesFile(in dir: URL) throws -> String {
        let shipped = try String(contentsOf: repositoryConfig.appendingPathComponent("roles.toml"), encoding: .utf8)
        let path = dir.appendingPathComponent("roles.toml").path
        try (shipped + """

            [e2e_tester]
            description = "End-to-end test caller"
            permissions = ["probe.*", "host.status", "directory.*", "crisis.*", "audit.subject.read"]

            """).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func configuration(socket: String, dir: URL, plugins: [String], extra: String = "", sections: String = "") -> String {
        """
        \(sections)
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
        settings_dir = "\(repositoryConfig.appendingPathComponent("plugins").path)"
        \(extra)

        [security]
        roles_file = "\(dir.path)/roles.toml"
        operator_token_file = "\(dir.path)/operator.token"
        audit_key_file = "\(dir.path)/audit.key"
        """
    }

    /// Starts a host and waits until it prints its ready line and every plugin is ready.
    /// The token of the `e2e:tester` principal (role e2e_tester, city scope) that `client()` uses.
    var testerToken: String { tester.withLockedValue { $0 } }
    private let tester = NIOLockedValueBox("")

    /// - Parameter reusing: start on the folder (database, keys, tokens) of an earlier host.
    /// - Parameter waitFor: the plugins to wait for (default: all of `plugins`).
    init(reusing: URL? = nil, plugins: [String] = ["probe", "tally"], waitFor: [String]? = nil, extraConfig: String = "", sections: String = "") async throws {
        directory = reusing ?? FileManager.default.temporaryDirectory.appendingPathComponent("xinyu-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Unix socket paths are limited to ~100 bytes: keep it short.
        socketPath = directory.appendingPathComponent("x.sock").path
        let configPath = directory.appendingPathComponent("xinyu.toml").path
        _ = try Self.rolesFile(in: directory)
        try Self.configuration(socket: socketPath, dir: directory, plugins: plugins, extra: extraConfig, sections: sections).write(toFile: configPath, atomically: true, encoding: .utf8)
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
        let tokenFile = directory.appendingPathComponent("tester.token")
        if reusing != nil, let saved = try? String(contentsOf: tokenFile, encoding: .utf8) {
            tester.withLockedValue { $0 = saved }
        } else {
            let token = try await createPrincipal("e2e:tester", roles: ["e2e_tester"], scopes: [("city", [])])
            tester.withLockedValue { $0 = token }
            try token.write(to: tokenFile, atomically: true, encoding: .utf8)
        }
        try await waitForPlugins(waitFor ?? plugins)
    }

    /// Registers a principal through the admin service (as the operator) and returns a token for it.
    func createPrincipal(_ id: String, kind: Xinyu_Admin_V1_PrincipalKind = .person, name: String = "测试用户", roles: [String],
                         scopes: [(String, [String])], agencyKind: String = "", certificateCN: String = "") async throws -> String {
        let admin = try await operatorClient()
        defer { Task { await admin.close() } }
        var request = Xinyu_Admin_V1_CreatePrincipalRequest()
        request.id = id
        request.kind = kind
        request.displayName = name
        request.roles = roles
        request.scopes = scopes.map { var s = Xinyu_Admin_V1_Scope(); s.kind = $0.0; s.ids = $0.1; return s }
        request.agencyKind = agencyKind
        request.certificateCommonName = certificateCN
        _ = try await admin.call("xinyu.admin.v1.Admin/CreatePrincipal", request, as: Xinyu_Admin_V1_PrincipalRecord.self)
        var issue = Xinyu_Admin_V1_IssueTokenRequest()
        issue.principalID = id
        issue.label = "e2e"
        issue.validDays = 1
        return try await admin.call("xinyu.admin.v1.Admin/IssueToken", issue, as: Xinyu_Admin_V1_IssuedToken.self).token
    }

    var stdout: String { String(decoding: output.withLockedValue { $0 }, as: UTF8.self) }
    var log: String { String(decoding: errors.withLockedValue { $0 }, as: UTF8.self) }

    /// Creates a role at run time through the admin service.
    func addRole(_ name: String, permissions: [String]) async throws {
        let admin = try await operatorClient()
        defer { Task { await admin.close() } }
        var request = Xinyu_Admin_V1_CreateRoleRequest()
        request.name = name
        request.description_p = "test role"
        request.permissions = permissions
        _ = try await admin.call("xinyu.admin.v1.Admin/CreateRole", request, as: Xinyu_Admin_V1_RoleRecord.self)
    }

    /// A client calling as `e2e:tester` (token over the local socket).
    func client() async throws -> XinyuClient {
        try await XinyuClient.connect(to: .unix(path: socketPath), name: "e2e-test", token: testerToken)
    }

    /// A client calling with `token`.
    func client(token: String) async throws -> XinyuClient {
        try await XinyuClient.connect(to: .unix(path: socketPath), name: "e2e-test", token: token)
    }

    /// A client identified as the local operator by its Unix-socket credentials (no token).
    func operatorClient() async throws -> XinyuClient {
        try await XinyuClient.connect(to: .unix(path: socketPath), name: "e2e-operator")
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
