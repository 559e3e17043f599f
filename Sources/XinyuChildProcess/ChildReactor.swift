internal import CXinyuChildProcess
import Foundation
import NIOConcurrencyHelpers

/// The one thread per process that watches every ``ChildProcess``: their exits (a pidfd each)
/// and their output pipes, in a single `epoll` set.
///
/// Why this mechanism (issue 11 §5):
/// - No libdispatch sources. Foundation's `FileHandle.readabilityHandler` arms a dispatch read
///   source per pipe, and tearing those down while others are armed corrupts libdispatch's epoll
///   bookkeeping on Linux (swift-corelibs-libdispatch#949): the SIGSEGV in
///   `_dispatch_event_loop_drain` that killed a test run. Here the descriptors are ours, watched
///   by our own epoll, and closed by this thread only after it stopped watching them.
/// - No SIGCHLD handler. A handler is process-wide: it would fight any other library's, and
///   `waitpid(-1)` would reap children that are not ours. A pidfd (Linux ≥ 5.3) turns readable
///   when that one child exits; we then `waitpid` exactly its pid.
/// - No thread per child, and no pid reuse: a child is reaped only here, under its own lock,
///   so ``ChildProcess/signal(_:)`` (which takes the same lock) never signals a recycled pid.
final class ChildReactor: Sendable {
    static let shared = ChildReactor()

    /// After a child is reaped, how long its exit waits for the rest of its output (a
    /// grandchild may hold the pipe open) before it is reported anyway.
    static let outputGrace: Duration = .seconds(2)

    private enum Watch {
        case exit(ChildProcess, pidfd: Int32)
        case output(ChildProcess, fd: Int32, splitter: LineSplitter, handler: @Sendable (String) -> Void)
    }

    private struct Watches {
        var nextToken: UInt64 = 1
        var entries: [UInt64: Watch] = [:]
        /// Children reaped whose output has not ended: report their exit at this time anyway.
        var deadlines: [(ContinuousClock.Instant, ChildProcess)] = []
    }

    private let epoll: Int32
    private let watches = NIOLockedValueBox(Watches())

    private init() {
        epoll = cxinyu_epoll_create()
        precondition(epoll >= 0, "epoll_create1 failed: errno \(errno)")
        let thread = Thread { [self] in run() }
        thread.name = "xinyu-child-reactor"
        thread.start()
    }

    // MARK: Registering (any thread)

    /// Watches `pidfd`: when it turns readable the child is reaped and its exit reported.
    func watchExit(of child: ChildProcess, pidfd: Int32) {
        add(fd: pidfd, .exit(child, pidfd: pidfd))
    }

    /// Reads `fd` (non-blocking) and passes each line to `handler` on this reactor's thread.
    func watchOutput(of child: ChildProcess, fd: Int32, handler: @escaping @Sendable (String) -> Void) {
        add(fd: fd, .output(child, fd: fd, splitter: LineSplitter(), handler: handler))
    }

    private func add(fd: Int32, _ watch: Watch) {
        let token = watches.withLockedValue { watches in
            let token = watches.nextToken
            watches.nextToken += 1
            watches.entries[token] = watch
            return token
        }
        // epoll_ctl is safe while this reactor's thread waits in epoll_wait.
        let result = cxinyu_epoll_add(epoll, fd, token)
        precondition(result == 0, "epoll_ctl(ADD) failed for a child's descriptor: errno \(errno)")
    }

    /// Reports `child`'s exit after ``outputGrace`` even if its output has not ended.
    func reportLater(_ child: ChildProcess) {
        watches.withLockedValue { $0.deadlines.append((ContinuousClock.now + Self.outputGrace, child)) }
    }

    // MARK: The reactor's thread

    private func run() {
        var tokens = [UInt64](repeating: 0, count: 64)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let timeout = nextTimeoutMs()
            let count = tokens.withUnsafeMutableBufferPointer { cxinyu_epoll_wait(epoll, $0.baseAddress, Int32($0.count), timeout) }
            if count < 0 {
                precondition(errno == EINTR, "epoll_wait failed: errno \(errno)")
                continue
            }
            for index in 0..<Int(count) { handle(tokens[index], buffer: &buffer) }
            reportDue()
        }
    }

    private func nextTimeoutMs() -> Int32 {
        guard let next = watches.withLockedValue({ $0.deadlines.map(\.0).min() }) else { return -1 }
        let left = ContinuousClock.now.duration(to: next)
        if left <= .zero { return 0 }
        let ms = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1
        return Int32(clamping: ms)
    }

    private func reportDue() {
        let now = ContinuousClock.now
        let due = watches.withLockedValue { watches in
            let due = watches.deadlines.filter { $0.0 <= now }.map(\.1)
            watches.deadlines.removeAll { $0.0 <= now }
            return due
        }
        for child in due { child.reportExit(force: true) }
    }

    private func handle(_ token: UInt64, buffer: inout [UInt8]) {
        guard let watch = watches.withLockedValue({ $0.entries[token] }) else { return }
        switch watch {
        case .exit(let child, let pidfd):
            guard child.reap() else { return }
            stopWatching(token, fd: pidfd)
            child.reportExit(force: false)
        case .output(let child, let fd, _, let handler):
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                let lines = watches.withLockedValue { watches -> [String] in
                    guard case .output(let c, let f, var splitter, let h)? = watches.entries[token] else { return [] }
                    let lines = splitter.append(buffer[0..<count])
                    watches.entries[token] = .output(c, fd: f, splitter: splitter, handler: h)
                    return lines
                }
                for line in lines { handler(line) }
                return
            }
            if count < 0 && (errno == EAGAIN || errno == EINTR) { return }
            // End of file, or an error that ends the stream all the same.
            let last = watches.withLockedValue { watches -> String? in
                guard case .output(_, _, var splitter, _)? = watches.entries[token] else { return nil }
                return splitter.finish()
            }
            stopWatching(token, fd: fd)
            if let last { handler(last) }
            child.outputEnded()
        }
    }

    /// Forgets the watch, takes `fd` out of the epoll set, then closes it: in that order, so the
    /// number cannot be reused while still registered.
    private func stopWatching(_ token: UInt64, fd: Int32) {
        _ = watches.withLockedValue { $0.entries.removeValue(forKey: token) }
        _ = cxinyu_epoll_remove(epoll, fd)
        close(fd)
    }
}
