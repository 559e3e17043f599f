/// How a child process ended.
public enum ChildExitStatus: Sendable, Equatable, CustomStringConvertible {
    /// It called exit (or returned from main) with this status.
    case exited(Int32)
    /// A signal ended it (SIGKILL = 9, SIGTERM = 15, SIGSEGV = 11, …).
    case signaled(Int32)
    /// Something else in this process reaped it first (a `waitpid(-1)` elsewhere), so its status
    /// is lost. ``ChildProcess`` never does that itself.
    case unknown

    /// "exited with status 3", "killed by signal 9": the words the host log has always used.
    public var description: String {
        switch self {
        case .exited(let code): "exited with status \(code)"
        case .signaled(let signal): "killed by signal \(signal)"
        case .unknown: "ended (its status was taken by another waiter)"
        }
    }

    /// The shell's single number for it: the exit status, 128 + the signal, or -1 when unknown.
    public var shellCode: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        case .unknown: -1
        }
    }
}
