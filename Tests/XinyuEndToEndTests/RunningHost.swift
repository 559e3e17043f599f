import Foundation
import NIOConcurrencyHelpers
import Testing
import XinyuChildProcess
import XinyuClient
import XinyuCoreAPI
import XinyuFixtureAPI
import XinyuRPC
import XinyuWire

/// A real `xinyu-host` process with real plugin processes, in a temporary folder of its own.
final class RunningHost: Sendable {
    let directory: URL
    let socketPath: String
    /// The host process, started and reaped by ``ChildProcess`` (posix_spawn + pidfd; no
    /// Foundation `Process`, no `FileHandle` readability handlers: those armed libdispatch read
    /// sources whose teardown crashed the suite in `_dispatch_event_loop_drain`, issue 11 §5).
    ///
    /// Its standard input is a stream only this test process holds (ChildProcess's descriptors are
    /// close-on-exec and no child inherits another's), and the host runs with
    /// `--stop-at-stdin-eof`: when this test process ends, however it ends (even kill -9), the
    /// host stops, and its plugins with it. ``closeStandardInput()`` does the same on purpose.
    let process: ChildProcess
    private let output = NIOLockedValueBox("")
    private let errors = NIOLockedValueBox("")
    /// Rings on new output and on exit, for the waits below.
    let changes = ChangeSignal()

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

    /// Test hosts share two cores with a whole parallel test run, where a plugin can be starved
    /// of CPU for seconds: the shipped 2 s ping timeout would then mark it degraded and fail calls
    /// fast. Tests that are about hang detection set their own times.
    static let patientLiveness = "liveness_timeout_ms = 15000"

    static func configuration(socket: String, dir: URL, plugins: [String], extra: String = "", sections: String = "", keepaliveMs: Int = 500) -> String {
        """
        \(sections)
        [host]
        socket = "\(socket)"
        database = "\(dir.path)/xinyu.sqlite"
        runtime_dir = "\(dir.path)/run"
        keepalive_ms = \(keepaliveMs)
        drain_timeout_ms = 3000

        [plugins]
        enabled = [\(plugins.map { "\"\($0)\"" }.joined(separator: ", "))]
        restart_initial_backoff_ms = 200
        restart_max_backoff_ms = 1000
        crash_loop_restarts = 20
        outbox_poll_ms = 20
        settings_dir = "\(repositoryConfig.appendingPathComponent("plugins").path)"
        \(extra.contains("liveness_timeout_ms") ? "" : Self.patientLiveness)
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
    /// - Parameter environment: variables added to the host's environment (its plugins inherit them).
    /// - Parameter keepaliveMs: `host.keepalive_ms` (a silent peer is dropped after three times this).
    init(reusing: URL? = nil, plugins: [String] = ["probe", "tally"], waitFor: [String]? = nil, extraConfig: String = "", sections: String = "",
         environment: [String: String] = [:], keepaliveMs: Int = 500) async throws {
        directory = reusing ?? FileManager.default.temporaryDirectory.appendingPathComponent("xinyu-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Unix socket paths are limited to ~100 bytes: keep it short.
        socketPath = directory.appendingPathComponent("x.sock").path
        let configPath = directory.appendingPathComponent("xinyu.toml").path
        _ = try Self.rolesFile(in: directory)
        try Self.configuration(socket: socketPath, dir: directory, plugins: plugins, extra: extraConfig, sections: sections, keepaliveMs: keepaliveMs).write(toFile: configPath, atomically: true, encoding: .utf8)
        let output = self.output
        let errors = self.errors
        let changes = self.changes
        process = try ChildProcess.spawn(
            executable: Self.binDirectory.appendingPathComponent("xinyu-host").path,
            arguments: ["--config", configPath, "--log-level", ProcessInfo.processInfo.environment["XINYU_TEST_LOG_LEVEL"] ?? "info", "--stop-at-stdin-eof"],
            environment: ProcessInfo.processInfo.environment.merging(environment) { _, added in added },
            standardInput: .pipe,
            standardOutput: .lines { line in output.withLockedValue { $0 += line + "\n" }; changes.ring() },
            standardError: .lines { line in errors.withLockedValue { $0 += line + "\n" }; changes.ring() })
        process.onExit { _ in changes.ring() }
        try await waitForOutput("ready:")
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
        var request = Xinyu_Admin_V1_CreatePrincipalRequest()
        request.id = id
        request.kind = kind
        request.displayName = name
        request.roles = roles
        request.scopes = scopes.map { var s = Xinyu_Admin_V1_Scope(); s.kind = $0.0; s.ids = $0.1; return s }
        request.agencyKind = agencyKind
        request.certificateCommonName = certificateCN
        var issue = Xinyu_Admin_V1_IssueTokenRequest()
        issue.principalID = id
        issue.label = "e2e"
        issue.validDays = 1
        return try await operatorClient().closing { admin in
            _ = try await admin.call("xinyu.admin.v1.Admin/CreatePrincipal", request, as: Xinyu_Admin_V1_PrincipalRecord.self)
            return try await admin.call("xinyu.admin.v1.Admin/IssueToken", issue, as: Xinyu_Admin_V1_IssuedToken.self).token
        }
    }

    var stdout: String { output.withLockedValue { $0 } }
    var log: String { errors.withLockedValue { $0 } }
    /// The host's process id.
    var pid: Int32 { process.pid }

    /// Creates a role at run time through the admin service.
    func addRole(_ name: String, permissions: [String]) async throws {
        var request = Xinyu_Admin_V1_CreateRoleRequest()
        request.name = name
        request.description_p = "test role"
        request.permissions = permissions
        _ = try await operatorClient().closing { admin in
            try await admin.call("xinyu.admin.v1.Admin/CreateRole", request, as: Xinyu_Admin_V1_RoleRecord.self)
        }
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
        let status = try await hostStatus()
        return Dictionary(uniqueKeysWithValues: status.plugins.map { ($0.name, ($0.state, $0.pid, $0.restarts)) })
    }

    func hostStatus() async throws -> Xinyu_Host_V1_StatusResponse {
        try await client().closing { client in
            try await client.call("xinyu.host.v1.Host/Status", Xinyu_Host_V1_StatusRequest(), as: Xinyu_Host_V1_StatusResponse.self)
        }
    }

    /// Waits until the host has forwarded `count` calls to `plugin` that have not ended yet
    /// (the host's status says so): the signal that a call is at the plugin, instead of a sleep.
    func waitForCallsInFlight(_ plugin: String, count: UInt32 = 1, timeout: Duration = .seconds(10)) async throws {
        try await waitUntil("\(count) call(s) in flight at plugin '\(plugin)'", timeout: timeout) {
            guard let status = try? await self.hostStatus() else { return false }
            return (status.plugins.first { $0.name == plugin }?.inFlightCalls ?? 0) >= count
        }
    }

    /// Waits until the host has printed `text` on standard output (woken by each new output).
    func waitForOutput(_ text: String, timeout: Duration = .seconds(30)) async throws {
        try await changes.wait(for: "host output '\(text)'", timeout: timeout) { self.stdout.contains(text) }
    }

    /// Waits until the host process has exited and returns its status: the exit status, or
    /// 128 + the signal that killed it.
    @discardableResult
    func waitForExit(timeout: Duration = .seconds(20)) async throws -> Int32 {
        try await changes.wait(for: "host exit", timeout: timeout) { self.process.exitStatus != nil }
        return process.exitStatus?.shellCode ?? -1
    }

    /// Closes the host's standard input, as the death of this test process would.
    func closeStandardInput() {
        process.closeStandardInput()
    }

    func waitForPlugins(_ names: [String], timeout: Duration = .seconds(30)) async throws {
        try await waitUntil("plugins \(names) ready", timeout: timeout) {
            guard let status = try? await self.pluginStatus() else { return false }
            return names.allSatisfy { status[$0]?.state == "ready" }
        }
    }

    /// Sends SIGTERM and waits for the exit status.
    func stop() async throws -> Int32 {
        process.terminate()
        return try await waitForExit()
    }

    deinit {
        // The reactor reaps it: no zombie, whenever it goes.
        process.kill()
        process.closeStandardInput()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Polls real state (an RPC to the host, a process table entry) until it holds or the timeout
/// passes, for state that announces no change of its own. Waits on output and exit use
/// ``ChangeSignal`` instead.
func waitUntil(_ what: String, timeout: Duration, _ condition: @Sendable () async -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    // Once more after the deadline: under load the last sleep can overrun it.
    if await condition() { return }
    throw WaitTimeout(what: what)
}

struct WaitTimeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Wakes the tasks waiting on a condition whenever it may have changed (new output, an exit).
final class ChangeSignal: Sendable {
    private let waiters = NIOLockedValueBox<[UUID: AsyncStream<Void>.Continuation]>([:])

    /// Something changed: every waiter checks its condition again.
    func ring() {
        for waiter in waiters.withLockedValue({ Array($0.values) }) { waiter.yield() }
    }

    /// Returns once `condition` holds, checking it at the start and after each ring; throws
    /// ``WaitTimeout`` naming `what` if `timeout` passes first.
    func wait(for what: String, timeout: Duration, _ condition: @Sendable () -> Bool) async throws {
        let id = UUID()
        let (rings, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        waiters.withLockedValue { $0[id] = continuation }
        defer { waiters.withLockedValue { _ = $0.removeValue(forKey: id) } }
        let deadline = ContinuousClock.now + timeout
        let timer = Task {
            try? await Task.sleep(until: deadline)
            continuation.finish()
        }
        defer { timer.cancel() }
        if condition() { return }
        for await _ in rings where condition() { return }
        if condition() { return }
        throw WaitTimeout(what: what)
    }
}
