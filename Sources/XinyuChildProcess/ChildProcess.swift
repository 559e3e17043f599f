internal import CXinyuChildProcess
import Foundation
import NIOConcurrencyHelpers

/// A child process started with `posix_spawn` and reaped through a pidfd (Linux ≥ 5.3): its pid,
/// its output as lines, its exit status as an async value, and signals that can never reach a
/// recycled pid. Used by the host for plugins and by the tests for hosts, instead of Foundation's
/// `Process` (see ``ChildReactor`` for why).
///
/// Descriptors: every descriptor this type creates is close-on-exec from birth (`pipe2`,
/// `SOCK_CLOEXEC`), and the child closes every descriptor above 2 before exec
/// (`closefrom`), so no child ever holds another child's pipe. That is what makes "the child
/// stops at end of its standard input" dependable: the only writer is the parent.
public final class ChildProcess: Sendable {
    /// What the child's standard input is.
    public enum Input: Sendable {
        /// A socket whose other end the parent holds: ``write(_:)`` and ``closeStandardInput()``.
        /// (A stream socket rather than a pipe so a write to a dead child fails with EPIPE instead
        /// of raising SIGPIPE in the parent.) The child sees end of file when the parent closes
        /// it or dies.
        case pipe
        /// /dev/null.
        case null
        /// The parent's own standard input.
        case inherit
    }

    /// Where the child's standard output or error goes.
    public enum Output: Sendable {
        /// A pipe read by the reactor thread; each complete line (UTF-8, without "\n") is passed
        /// to the handler there, in order. The handler must return quickly.
        case lines(@Sendable (String) -> Void)
        /// /dev/null.
        case null
        /// The parent's own stream.
        case inherit
    }

    /// The child's process id.
    public let pid: Int32
    /// Foundation's name for ``pid``.
    public var processIdentifier: Int32 { pid }
    /// The path that was started.
    public let executable: String

    private struct State {
        /// Set by the reactor the moment it reaps the child (under this lock).
        var reaped: ChildExitStatus?
        /// Set once the exit has been reported to the handlers and waiters.
        var reported: ChildExitStatus?
        /// Output pipes not yet at end of file.
        var openStreams: Int
        /// Whether the reactor has been asked to report the exit after the output grace.
        var graceScheduled = false
        var exitHandlers: [@Sendable (ChildExitStatus) -> Void] = []
        var waiters: [CheckedContinuation<ChildExitStatus, Never>] = []
    }

    private let state: NIOLockedValueBox<State>
    /// The parent's end of the child's standard input, -1 once closed. A lock of its own, so a
    /// write blocked on a full socket does not hold up signals or the reaper.
    private let stdinFD: NIOLockedValueBox<Int32>

    private init(pid: Int32, executable: String, stdinFD: Int32, openStreams: Int) {
        self.pid = pid
        self.executable = executable
        self.stdinFD = NIOLockedValueBox(stdinFD)
        self.state = NIOLockedValueBox(State(openStreams: openStreams))
    }

    /// Starts `executable` (a path; no `PATH` search).
    ///
    /// - Parameters:
    ///   - environment: the child's whole environment; `nil` passes on the parent's.
    ///   - workingDirectory: where it starts; `nil` keeps the parent's.
    ///   - newProcessGroup: start it in a process group of its own, so a terminal's Ctrl-C to
    ///     the parent's group does not reach it behind the parent's back.
    /// - Throws: ``ChildProcessError`` naming the executable when it cannot be started.
    public static func spawn(
        executable: String, arguments: [String] = [], environment: [String: String]? = nil, workingDirectory: String? = nil,
        standardInput: Input = .null, standardOutput: Output = .null, standardError: Output = .null, newProcessGroup: Bool = true
    ) throws -> ChildProcess {
        // Every descriptor opened here is closed on every path out, except the ones handed to
        // the ChildProcess (parent ends) and the reactor (read ends, pidfd).
        var parentEnds: [Int32] = []
        var childEnds: [Int32] = []
        defer { for fd in childEnds { close(fd) } }
        func fail(_ operation: String, _ code: Int32) -> ChildProcessError {
            for fd in parentEnds { close(fd) }
            return ChildProcessError(operation, code: code)
        }

        var stdinParent: Int32 = -1
        var stdinChild: Int32 = -1
        if case .pipe = standardInput {
            var pair: [Int32] = [-1, -1]
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
                throw fail("cannot make a standard input for \(executable)", errno)
            }
            (stdinParent, stdinChild) = (pair[0], pair[1])
            parentEnds.append(stdinParent)
            childEnds.append(stdinChild)
            // The child only reads, the parent only writes.
            shutdown(stdinChild, Int32(SHUT_WR))
            shutdown(stdinParent, Int32(SHUT_RD))
        }
        var outputReaders: [(fd: Int32, handler: @Sendable (String) -> Void)] = []
        var outputChildEnds: [Int32: Int32] = [:]
        for (target, output) in [(STDOUT_FILENO, standardOutput), (STDERR_FILENO, standardError)] {
            guard case .lines(let handler) = output else { continue }
            var ends: [Int32] = [-1, -1]
            guard cxinyu_pipe_cloexec(&ends) == 0 else { throw fail("cannot make an output pipe for \(executable)", errno) }
            parentEnds.append(ends[0])
            childEnds.append(ends[1])
            outputReaders.append((ends[0], handler))
            outputChildEnds[target] = ends[1]
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var status: Int32 = 0
        switch standardInput {
        case .pipe: status = posix_spawn_file_actions_adddup2(&actions, stdinChild, STDIN_FILENO)
        case .null: status = posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        case .inherit: break
        }
        for (target, output) in [(STDOUT_FILENO, standardOutput), (STDERR_FILENO, standardError)] where status == 0 {
            switch output {
            case .lines: status = posix_spawn_file_actions_adddup2(&actions, outputChildEnds[target]!, target)
            case .null: status = posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
            case .inherit: break
            }
        }
        // Belt and braces with close-on-exec: descriptors someone else opened without it (a
        // library's) must not leak into the child either.
        if status == 0 { status = cxinyu_spawn_file_actions_addclosefrom(&actions, 3) }
        if status == 0, let workingDirectory { status = cxinyu_spawn_file_actions_addchdir(&actions, workingDirectory) }
        guard status == 0 else { throw fail("cannot prepare to start \(executable)", status) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with no blocked signals and the default action for the signals a
        // parent commonly ignores (ignored signals survive exec: the host ignores SIGPIPE, and
        // swift-service-lifecycle ignores SIGTERM/SIGINT to watch them with dispatch).
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGCHLD] { sigaddset(&defaults, signal) }
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newProcessGroup { flags |= Int32(POSIX_SPAWN_SETPGROUP) }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = CStringArray([executable] + arguments)
        let envp = environment.map { CStringArray($0.map { "\($0.key)=\($0.value)" }) }
        var pid: Int32 = 0
        let spawned = envp.map { envp in
            posix_spawn(&pid, executable, &actions, &attributes, argv.pointers, envp.pointers)
        } ?? posix_spawn(&pid, executable, &actions, &attributes, argv.pointers, environ)
        guard spawned == 0 else { throw fail("cannot start \(executable)", spawned) }

        let pidfd = cxinyu_pidfd_open(pid)
        guard pidfd >= 0 else {
            // Without a pidfd it cannot be watched: do not leave it running unwatched.
            let code = errno
            Glibc.kill(pid, SIGKILL)
            var ignored: Int32 = 0
            while waitpid(pid, &ignored, 0) < 0 && errno == EINTR {}
            throw fail("cannot watch \(executable) (pidfd_open needs Linux 5.3 or later)", code)
        }
        for reader in outputReaders { _ = fcntl(reader.fd, F_SETFL, fcntl(reader.fd, F_GETFL) | O_NONBLOCK) }
        let child = ChildProcess(pid: pid, executable: executable, stdinFD: stdinParent, openStreams: outputReaders.count)
        for reader in outputReaders { ChildReactor.shared.watchOutput(of: child, fd: reader.fd, handler: reader.handler) }
        ChildReactor.shared.watchExit(of: child, pidfd: pidfd)
        return child
    }

    // MARK: Standard input

    /// Writes to the child's standard input (``Input/pipe`` only). Blocks while the child's
    /// buffer is full. Throws EPIPE once the child has gone, EBADF after ``closeStandardInput()``.
    public func write(_ text: String) throws {
        try stdinFD.withLockedValue { fd in
            guard fd >= 0 else { throw ChildProcessError("cannot write to the standard input of \(executable)", code: EBADF) }
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let written = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw ChildProcessError("cannot write to the standard input of \(executable)", code: errno)
                }
                bytes = bytes.dropFirst(written)
            }
        }
    }

    /// Closes the parent's end of the child's standard input: the child reads end of file.
    /// Idempotent.
    public func closeStandardInput() {
        stdinFD.withLockedValue { fd in
            if fd >= 0 { close(fd) }
            fd = -1
        }
    }

    // MARK: Signals

    /// Sends `signal` unless the child has already been reaped (then its pid may belong to
    /// someone else, so nothing is sent). Returns whether it was sent.
    @discardableResult
    public func signal(_ signal: Int32) -> Bool {
        state.withLockedValue { state in
            state.reaped == nil && Glibc.kill(pid, signal) == 0
        }
    }

    /// Asks it to stop (SIGTERM).
    public func terminate() { signal(SIGTERM) }

    /// Stops it at once (SIGKILL).
    public func kill() { signal(SIGKILL) }

    /// True until the child has been reaped.
    public var isRunning: Bool { state.withLockedValue { $0.reaped == nil } }

    // MARK: Exit

    /// How it ended, once reported (after its output ended, or ``ChildReactor/outputGrace``
    /// after it was reaped); `nil` before.
    public var exitStatus: ChildExitStatus? { state.withLockedValue { $0.reported } }

    /// Calls `handler` once with the exit status, on the reactor's thread, after every line of
    /// its output has been handed on (unless a grandchild keeps the pipe open past the grace).
    /// Called at once when that has already happened.
    public func onExit(_ handler: @escaping @Sendable (ChildExitStatus) -> Void) {
        let already = state.withLockedValue { state -> ChildExitStatus? in
            if state.reported == nil { state.exitHandlers.append(handler) }
            return state.reported
        }
        if let already { handler(already) }
    }

    /// Waits for the exit status (see ``onExit(_:)`` for when it is known).
    public func waitForExit() async -> ChildExitStatus {
        await withCheckedContinuation { continuation in
            let already = state.withLockedValue { state -> ChildExitStatus? in
                if state.reported == nil { state.waiters.append(continuation) }
                return state.reported
            }
            if let already { continuation.resume(returning: already) }
        }
    }

    // MARK: Called by the reactor

    /// Reaps the child if it has exited. Under the state lock, so ``signal(_:)`` never races it.
    func reap() -> Bool {
        state.withLockedValue { state in
            guard state.reaped == nil else { return true }
            var status: Int32 = 0
            var result: Int32
            repeat { result = waitpid(pid, &status, WNOHANG) } while result < 0 && errno == EINTR
            if result == 0 { return false }
            if result < 0 {
                state.reaped = .unknown
            } else if cxinyu_wifsignaled(status) != 0 {
                state.reaped = .signaled(cxinyu_wtermsig(status))
            } else {
                state.reaped = .exited(cxinyu_wexitstatus(status))
            }
            return true
        }
    }

    /// One output pipe reached end of file.
    func outputEnded() {
        state.withLockedValue { $0.openStreams -= 1 }
        reportExit(force: false)
    }

    /// Reports the exit if the child is reaped and its output has ended (or `force`).
    func reportExit(force: Bool) {
        let (status, handlers, waiters, wait) = state.withLockedValue { state in
            guard state.reported == nil, let reaped = state.reaped else {
                return (ChildExitStatus?.none, [@Sendable (ChildExitStatus) -> Void](), [CheckedContinuation<ChildExitStatus, Never>](), false)
            }
            guard force || state.openStreams <= 0 else {
                defer { state.graceScheduled = true }
                return (nil, [], [], !state.graceScheduled)
            }
            state.reported = reaped
            defer { state.exitHandlers = []; state.waiters = [] }
            return (reaped, state.exitHandlers, state.waiters, false)
        }
        if wait { ChildReactor.shared.reportLater(self) }
        guard let status else { return }
        for handler in handlers { handler(status) }
        for waiter in waiters { waiter.resume(returning: status) }
    }

    deinit {
        stdinFD.withLockedValue { if $0 >= 0 { close($0) } }
    }
}

/// A NULL-terminated array of C strings that lives as long as this value (for argv, envp).
private final class CStringArray {
    let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    private let count: Int

    init(_ strings: [String]) {
        count = strings.count
        pointers = .allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() { pointers[index] = strdup(string) }
        pointers[strings.count] = nil
    }

    deinit {
        for index in 0..<count { free(pointers[index]) }
        pointers.deallocate()
    }
}
