import NIOConcurrencyHelpers
import NIOPosix

/// CPU-heavy synchronous work (parsing a 10,000-row CSV, checking every row) run off Swift's
/// concurrency pool, on NIO's blocking thread pool.
///
/// Why: calls are served as tasks on Swift's cooperative pool, which has one thread per core —
/// two on a small server. Two roster imports parsing at once held both threads for seconds
/// in one synchronous stretch, and every other call in the same process (Health included)
/// waited for one of them to finish: Health was seen taking 650–900 ms (issue 17). Work that
/// runs here leaves the pool's threads to the short calls; the operating system shares the
/// cores between the heavy threads and the rest in slices of milliseconds.
///
/// The task awaiting the work is suspended, not blocked. `isCancelled` reads the calling task's
/// cancellation (a cancel or deadline of the call), which the work cannot see from its own
/// thread: check it now and then and stop early.
public enum HeavyWork {
    /// Runs `body` on the blocking pool and returns its result or rethrows its error.
    public static func run<T: Sendable>(_ body: @escaping @Sendable (_ isCancelled: @Sendable () -> Bool) throws -> T) async throws -> T {
        let cancelled = NIOLockedValueBox(false)
        return try await withTaskCancellationHandler {
            try await NIOThreadPool.singleton.runIfActive {
                try body { cancelled.withLockedValue { $0 } }
            }
        } onCancel: {
            cancelled.withLockedValue { $0 = true }
        }
    }
}
