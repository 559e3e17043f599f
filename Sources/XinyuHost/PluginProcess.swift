import Foundation
import Logging

/// One running plugin executable: started with its secret on standard input, its output
/// copied into the host log line by line, tagged with the plugin's name.
///
/// The host keeps the plugin's standard input open for the plugin's whole life; the plugin
/// exits when it reads end of file, so it never outlives the host.
final class PluginProcess: @unchecked Sendable {
    // @unchecked: `process` and `stdin` are set once in init and only read afterwards;
    // Foundation's Process is thread-safe for the calls made here (pid, terminate, isRunning).
    let name: String
    private let process = Process()
    private let stdin = Pipe()

    /// Starts the executable; `onExit` runs once with its pid and the exit status or signal.
    init(name: String, executable: URL, environment: [String: String], secret: String, logger: Logger,
         onExit: @escaping @Sendable (Int32, String) -> Void) throws {
        self.name = name
        process.executableURL = executable
        process.arguments = []
        process.environment = environment
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        process.terminationHandler = { process in
            let how = process.terminationReason == .uncaughtSignal
                ? "killed by signal \(process.terminationStatus)"
                : "exited with status \(process.terminationStatus)"
            onExit(process.processIdentifier, how)
        }
        try process.run()
        // A plugin that exits at once has closed the pipe (EPIPE): its exit is reported by the
        // termination handler like any other, and must not bring the host down with it.
        try? stdin.fileHandleForWriting.write(contentsOf: Data((secret + "\n").utf8))
        Self.pump(stdout.fileHandleForReading, name: name, stream: "stdout", logger: logger)
        Self.pump(stderr.fileHandleForReading, name: name, stream: "stderr", logger: logger)
    }

    var pid: Int32 { process.processIdentifier }

    /// Asks the plugin to stop (SIGTERM).
    func terminate() {
        if process.isRunning { process.terminate() }
    }

    /// Stops the plugin at once (SIGKILL).
    func kill() {
        if process.isRunning { _ = Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    var isRunning: Bool { process.isRunning }

    /// Copies a plugin's output into the host log, one entry per line, on a thread of its own
    /// (a blocking read; it ends when the plugin closes the pipe).
    private static func pump(_ handle: FileHandle, name: String, stream: String, logger: Logger) {
        let thread = Thread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    if !line.isEmpty { logger.info("\(line)", metadata: ["plugin": "\(name)", "stream": "\(stream)"]) }
                }
            }
            if !pending.isEmpty {
                logger.info("\(String(decoding: pending, as: UTF8.self))", metadata: ["plugin": "\(name)", "stream": "\(stream)"])
            }
        }
        thread.name = "xinyu-\(name)-\(stream)"
        thread.start()
    }
}
