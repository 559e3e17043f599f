import Foundation

/// Resident memory of a process, read from `/proc/<pid>/status` (Linux).
public struct ProcessMemory: Sendable, Codable {
    /// Current resident set (VmRSS), in KiB.
    public var rssKiB: Int
    /// Peak resident set since the process started (VmHWM), in KiB.
    public var peakKiB: Int

    /// Reads a process's memory, or nil when it has gone or /proc is not there.
    public static func read(pid: Int32) -> ProcessMemory? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        var rss = 0
        var hwm = 0
        for line in text.split(separator: "\n") {
            if line.hasPrefix("VmRSS:") { rss = kib(line) } else if line.hasPrefix("VmHWM:") { hwm = kib(line) }
        }
        return ProcessMemory(rssKiB: rss, peakKiB: hwm)
    }

    private static func kib(_ line: Substring) -> Int {
        Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
    }
}

/// Samples processes' RSS while a workload runs and keeps the highest value seen for each.
///
/// VmHWM already holds each process's lifetime peak; sampling VmRSS as well gives the peak
/// during one workload, which is what "RSS under W1" asks for.
public final class MemorySampler: @unchecked Sendable {
    // Safe: `peaks` is only touched under `lock`.
    private let lock = NSLock()
    private var peaks: [Int32: Int] = [:]
    private var running = true
    private let pids: [Int32]

    /// Starts sampling `pids` every `intervalMs` on a background thread.
    public init(pids: [Int32], intervalMs: Int = 50) {
        self.pids = pids
        let thread = Thread { [self] in
            while lock.withLock({ running }) {
                for pid in pids {
                    if let m = ProcessMemory.read(pid: pid) {
                        lock.withLock { peaks[pid] = max(peaks[pid] ?? 0, m.rssKiB) }
                    }
                }
                Thread.sleep(forTimeInterval: Double(intervalMs) / 1000)
            }
        }
        thread.start()
    }

    /// Stops sampling and returns the highest RSS (KiB) seen per pid.
    public func stop() -> [Int32: Int] {
        lock.withLock {
            running = false
            return peaks
        }
    }
}
