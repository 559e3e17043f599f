import Foundation
import Logging
import XinyuChildProcess

/// One running plugin executable: started with its secret on standard input, its output
/// copied into the host log line by line, tagged with the plugin's name.
///
/// Started with `posix_spawn` and reaped through a pidfd by ``ChildProcess`` (not Foundation's
/// `Process`, whose Linux implementation and `FileHandle` handlers lean on libdispatch sources
/// that crashed a test run; see issue 11 §5 and ``ChildProcess``).
///
/// The host dies, the plugin follows: the host keeps the plugin's standard input open for the
/// plugin's whole life and is its only holder (every descriptor ChildProcess makes is
/// close-on-exec, and each child closes all others before exec), so when the host ends, however
/// it ends (even kill -9), the plugin reads end of file and exits (the SDK's ParentWatcher).
/// Chosen over prctl(PR_SET_PDEATHSIG), which fires when the *thread* that spawned the child
/// exits rather than the process, and which posix_spawn cannot set in the child anyway.
final class PluginProcess: Sendable {
    let name: String
    private let child: ChildProcess

    /// Starts the executable; `onExit` runs once with its pid and how it ended ("exited with
    /// status 3", "killed by signal 9"), after the last line of its output has been logged.
    init(name: String, executable: URL, environment: [String: String], secret: String, logger: Logger,
         onExit: @escaping @Sendable (Int32, String) -> Void) throws {
        self.name = name
        @Sendable func log(_ stream: String) -> ChildProcess.Output {
            .lines { line in
                if !line.isEmpty { logger.info("\(line)", metadata: ["plugin": "\(name)", "stream": "\(stream)"]) }
            }
        }
        let child = try ChildProcess.spawn(
            executable: executable.path, environment: environment,
            standardInput: .pipe, standardOutput: log("stdout"), standardError: log("stderr"))
        self.child = child
        child.onExit { [pid = child.pid] status in onExit(pid, status.description) }
        // A plugin that exits at once has closed its end (EPIPE): its exit is reported by
        // onExit like any other, and must not bring the host down with it.
        try? child.write(secret + "\n")
    }

    var pid: Int32 { child.pid }

    /// Asks the plugin to stop (SIGTERM).
    func terminate() { child.terminate() }

    /// Stops the plugin at once (SIGKILL).
    func kill() { child.kill() }

    /// True until the plugin has exited and been reaped.
    var isRunning: Bool { child.isRunning }
}
