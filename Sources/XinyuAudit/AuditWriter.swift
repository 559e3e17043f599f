import Logging

/// Buffers entries from hot paths and appends them in batches (every `interval` or `maxBatch`
/// entries), so auditing a read does not cost one SQLite transaction per call. Flushes everything on `close()`.
///
/// Entries are written in the order `record` was called: flushes never overlap, each takes the
/// whole buffer and appends it in transactions of at most `maxBatch` entries.
/// Run `run()` once, in the host's service group; call `close()` at shutdown.
public final class AuditWriter: Sendable {
    /// Above this many unwritten entries, `record` logs an error (again at every further multiple).
    public static let hardCap = 100_000

    private struct State: Sendable {
        /// Recorded, not yet taken by a flush; oldest first.
        var buffer: [AuditEntry] = []
        var closed = false
        /// True while a flush holds its turn; later flushes wait in `waiters`, first come first served.
        var flushing = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// Buffer size at which the next over-cap error is logged.
        var nextWarning = AuditWriter.hardCap
    }

    private let log: AuditLog
    private let interval: Duration
    private let maxBatch: Int
    private let logger: Logger
    private let state = LockedState(State())
    /// Wakes the flush loop: on every tick, when a batch fills up, and (finished) on close.
    private let wake: AsyncStream<Void>
    private let wakeUp: AsyncStream<Void>.Continuation

    /// Creates a writer appending to `log`; `maxBatch` is clamped to at least 1.
    public init(log: AuditLog, interval: Duration = .milliseconds(20), maxBatch: Int = 512, logger: Logger) {
        self.log = log
        self.interval = interval
        self.maxBatch = max(1, maxBatch)
        self.logger = logger
        // One pending wake-up is enough: a flush takes everything buffered so far.
        (wake, wakeUp) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Entries recorded but not yet written: the host may refuse new calls when this grows too large.
    public var pendingCount: Int {
        state.withLock { $0.buffer.count }
    }

    /// Queues `entry` for the next flush; never blocks and never throws.
    ///
    /// There is no bound that drops entries. Dropping would leave calls to children's records
    /// unaudited, which the audit trail exists to prevent; blocking is impossible from this
    /// synchronous call on the host's hot path. So past `hardCap` the buffer keeps growing and every
    /// further `hardCap` entries log an error: a stuck database must be visible, and any backpressure
    /// belongs upstream (see `pendingCount`). An entry recorded after `close()` is kept too, and
    /// written by the next `flush()`.
    public func record(_ entry: AuditEntry) {
        let (count, fullBatch, overCap, afterClose) = state.withLock { state in
            state.buffer.append(entry)
            let count = state.buffer.count
            let overCap = count >= state.nextWarning
            if overCap { state.nextWarning = count + Self.hardCap }
            return (count, count >= maxBatch, overCap, state.closed)
        }
        if fullBatch { wakeUp.yield() }
        if overCap {
            logger.error("audit entries are piling up unwritten; is the database stuck?",
                         metadata: ["audit.pending": "\(count)"])
        }
        if afterClose {
            logger.error("audit entry recorded after the writer closed; it is written only by another flush()",
                         metadata: ["audit.method": "\(entry.method)"])
        }
    }

    /// Flushes every `interval` and whenever `maxBatch` entries are waiting, until cancelled or closed;
    /// then flushes what is left. Call it once.
    ///
    /// A failed flush is logged and its entries stay buffered, in order, for the next attempt.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { [wakeUp, interval] in
                while !Task.isCancelled {
                    do { try await Task.sleep(for: interval) } catch { break }
                    wakeUp.yield()
                }
            }
            // Ends when close() finishes the stream or this task is cancelled.
            for await _ in wake {
                do {
                    try await flush()
                } catch {
                    logger.error("audit flush failed; will retry", metadata: [
                        "audit.pending": "\(pendingCount)", "error": "\(error)",
                    ])
                }
            }
            group.cancelAll()
        }
        await finalFlush()
    }

    /// Appends everything recorded so far, in order, in transactions of at most `maxBatch` entries.
    ///
    /// Waits for a flush already under way. If an append fails, the entries it did not write go back
    /// to the front of the buffer and the error is rethrown. Works in a cancelled task too (then it
    /// blocks its thread for the writes), so a shutdown never loses the buffer to cancellation.
    public func flush() async throws {
        await takeFlushTurn()
        defer { passFlushTurn() }
        let pending = state.withLock { state in
            let taken = state.buffer
            state.buffer = []
            state.nextWarning = Self.hardCap
            return taken
        }
        var start = 0
        while start < pending.count {
            let end = min(start + maxBatch, pending.count)
            let batch = Array(pending[start..<end])
            do {
                // GRDB's async accesses throw CancellationError in a cancelled task; a shutdown flush must still write.
                if Task.isCancelled {
                    try log.appendSync(batch)
                } else {
                    try await log.append(batch)
                }
            } catch {
                let unwritten = pending[start...]
                state.withLock { $0.buffer.insert(contentsOf: unwritten, at: 0) }
                throw error
            }
            start = end
        }
    }

    /// Stops `run()`'s loop without waiting: `run()` then writes everything still buffered and
    /// returns. For a graceful-shutdown handler, which cannot await.
    public func stop() {
        state.withLock { $0.closed = true }
        wakeUp.finish()
    }

    /// Stops `run()`'s loop and writes everything still buffered.
    ///
    /// If that final write fails, the error is logged at critical level with the number of entries lost.
    public func close() async {
        state.withLock { $0.closed = true }
        wakeUp.finish()
        await finalFlush()
    }

    private func finalFlush() async {
        do {
            try await flush()
        } catch {
            logger.critical("audit entries could not be written at shutdown", metadata: [
                "audit.lost": "\(pendingCount)", "error": "\(error)",
            ])
        }
    }

    /// Waits until no other flush runs; flushes must not overlap or batches could commit out of order.
    private func takeFlushTurn() async {
        await withCheckedContinuation { (turn: CheckedContinuation<Void, Never>) in
            let mine = state.withLock { state in
                if state.flushing {
                    state.waiters.append(turn)
                    return false
                }
                state.flushing = true
                return true
            }
            if mine { turn.resume() }
        }
    }

    /// Hands the turn to the next waiting flush, or frees it.
    private func passFlushTurn() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiters.isEmpty else {
                state.flushing = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
