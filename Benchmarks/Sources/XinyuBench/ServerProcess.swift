import Foundation

/// A baseline server (bench-floor, bench-grpc-peer) run as its own process, like the host.
final class ServerProcess: @unchecked Sendable {
    // Safe: `output` is only touched under `lock`.
    let process = Process()
    private let lock = NSLock()
    private var output = Data()

    init(executable: URL, arguments: [String]) {
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        out.fileHandleForReading.readabilityHandler = { [self] h in
            let d = h.availableData
            lock.withLock { output.append(d) }
        }
    }

    var pid: Int32 { process.processIdentifier }

    /// Starts the process and waits for its "listening:" line.
    func start() async throws {
        try process.run()
        try await poll("\(process.executableURL?.lastPathComponent ?? "server") listening", timeout: 30, interval: 0.01) {
            self.lock.withLock { String(decoding: self.output, as: UTF8.self).contains("listening:") }
        }
    }

    func stop() async {
        if process.isRunning { process.terminate() }
        for _ in 0..<100 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
