import Foundation
import NIOConcurrencyHelpers
import Testing
import XinyuChildProcess

@Suite("ChildProcess")
struct ChildProcessTests {
    /// Runs `script` with /bin/sh, collecting its output lines.
    func shell(_ script: String, input: ChildProcess.Input = .null) throws -> (ChildProcess, Lines) {
        let lines = Lines()
        let child = try ChildProcess.spawn(
            executable: "/bin/sh", arguments: ["-c", script], standardInput: input,
            standardOutput: .lines { lines.add("out", $0) }, standardError: .lines { lines.add("err", $0) })
        return (child, lines)
    }

    @Test("an exit status comes back as such")
    func exitCode() async throws {
        let (child, _) = try shell("exit 3")
        #expect(await child.waitForExit() == .exited(3))
        #expect(!child.isRunning)
        #expect(child.exitStatus?.description == "exited with status 3")
    }

    @Test("death by a signal comes back as the signal")
    func signalDeath() async throws {
        let (selfKilled, _) = try shell("kill -9 $$")
        #expect(await selfKilled.waitForExit() == .signaled(SIGKILL))
        // SIGTERM reaches it even from a parent that ignores SIGTERM (as the host does).
        let (sleeper, lines) = try shell("echo started; exec sleep 30")
        try await lines.waitFor("out started")
        #expect(sleeper.isRunning)
        sleeper.terminate()
        #expect(await sleeper.waitForExit() == .signaled(SIGTERM))
        #expect(sleeper.exitStatus?.description == "killed by signal 15")
        // Once reaped, its pid may be someone else's: nothing is sent.
        #expect(!sleeper.signal(SIGTERM))
    }

    @Test("stdout and stderr arrive as lines, Chinese intact, all before the exit is reported")
    func outputLines() async throws {
        let (child, lines) = try shell("printf '心育\\n第二行\\n'; echo 错误 >&2; printf '没有换行'")
        #expect(await child.waitForExit() == .exited(0))
        #expect(lines.of("out") == ["心育", "第二行", "没有换行"])
        #expect(lines.of("err") == ["错误"])
    }

    @Test("standard input: written text arrives, closing it is end of file")
    func standardInput() async throws {
        let (child, lines) = try shell("while read line; do echo \"got $line\"; done; echo eof", input: .pipe)
        try child.write("你好\n")
        try await lines.waitFor("out got 你好")
        child.closeStandardInput()
        #expect(await child.waitForExit() == .exited(0))
        #expect(lines.of("out") == ["got 你好", "eof"])
        #expect(throws: ChildProcessError.self) { try child.write("late\n") }
    }

    @Test("a write to a child that has gone fails with EPIPE instead of killing us with SIGPIPE")
    func writeToDeadChild() async throws {
        let (child, _) = try shell("exit 0", input: .pipe)
        _ = await child.waitForExit()
        #expect(throws: ChildProcessError.self) { try child.write(String(repeating: "x", count: 1 << 20)) }
    }

    @Test("a child's standard input ends when we close it, although children started after it are alive")
    func noInheritedStandardInput() async throws {
        let (reader, _) = try shell("cat >/dev/null; echo done", input: .pipe)
        // Started after the reader: with an inheritable descriptor they would hold its input open.
        let others = try (0..<5).map { _ in try shell("exec sleep 30", input: .pipe).0 }
        defer { for other in others { other.kill() } }
        reader.closeStandardInput()
        try await waitUntil(.seconds(10)) { reader.exitStatus != nil }
        #expect(reader.exitStatus == .exited(0))
    }

    @Test("a missing executable is an error naming it, and no child is left")
    func missingExecutable() throws {
        let error = #expect(throws: ChildProcessError.self) {
            try ChildProcess.spawn(executable: "/nonexistent/xinyu-plugin-nothing")
        }
        #expect(error?.description.contains("cannot start /nonexistent/xinyu-plugin-nothing: No such file or directory") == true)
    }

    @Test("200 short-lived children at once: every exit and line arrives, no descriptor leaks, none is left unreaped")
    func manyChildren() async throws {
        // In a process of its own, where the descriptor count and waitpid(-1) see only its own.
        let lines = Lines()
        let fixture = try ChildProcess.spawn(
            executable: Self.fixture, arguments: ["stress", "200"], standardOutput: .lines { lines.add("out", $0) }, standardError: .inherit)
        let status = await fixture.waitForExit()
        let report = lines.of("out").joined(separator: "\n")
        #expect(report.contains("children 200 exits-ok 200 lines-ok 200"), "\(report)")
        #expect(report.contains("unreaped 0"), "\(report)")
        if let match = report.firstMatch(of: /fds-before (\d+) fds-after (\d+)/) {
            #expect(match.1 == match.2, "\(report)")
        } else {
            Issue.record("no descriptor counts in: \(report)")
        }
        #expect(status == .exited(0))
    }

    /// The fixture executable, built beside the test bundle.
    static var fixture: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("ChildProcessFixture").path
    }
}

/// Lines received from children, tagged by stream, and a wait for one to arrive.
final class Lines: Sendable {
    private let lines = NIOLockedValueBox<[(String, String)]>([])

    func add(_ stream: String, _ line: String) { lines.withLockedValue { $0.append((stream, line)) } }

    func of(_ stream: String) -> [String] { lines.withLockedValue { $0.filter { $0.0 == stream }.map(\.1) } }

    /// Polls (with a deadline) until "stream line" has arrived.
    func waitFor(_ tagged: String, timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        let arrived = { self.lines.withLockedValue { $0.contains { "\($0.0) \($0.1)" == tagged } } }
        while ContinuousClock.now < deadline {
            if arrived() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        // Once more after the deadline: on a loaded machine the last sleep can overrun it by
        // seconds, and the line may have arrived meanwhile.
        if arrived() { return }
        throw TimedOut(what: tagged)
    }
}

struct TimedOut: Error { let what: String }

/// Polls `condition` until it holds, throwing ``TimedOut`` after `timeout`.
func waitUntil(_ timeout: Duration, _ condition: @Sendable () -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else { throw TimedOut(what: "a condition within \(timeout)") }
        try await Task.sleep(for: .milliseconds(10))
    }
}
