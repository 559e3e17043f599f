import NIOCore

/// Runs Swift tasks on one NIO event loop, so that a task started on that loop (a call's
/// handler) and the loop's own I/O share a thread: no wake-up of another thread to start the
/// task, and none to hand its answer back to the channel.
///
/// Use it as `Task(executorPreference:)` for short, bounded work only. While a job runs, the
/// loop serves no other channel; a handler that blocks for milliseconds here delays every call
/// on every connection of that loop.
public final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop jobs run on.
    public let eventLoop: EventLoop

    /// Creates an executor for `eventLoop`.
    public init(_ eventLoop: EventLoop) { self.eventLoop = eventLoop }

    /// Schedules the job on the loop. From the loop itself this only queues it for the current
    /// tick; from another thread it wakes the loop, as `execute` does.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
