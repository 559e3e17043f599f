import Foundation
import GRDB

/// One read-only connection per thread that reads, so that a point read does not go through
/// the reader pool.
///
/// GRDB's `DatabasePool.read` checks a connection out of its pool on every call: a barrier
/// queue, a semaphore, a dispatch group and a key path instantiated at run time. Under W1
/// (issue 5) that was over a tenth of the crisis plugin's CPU for reads that take a few
/// microseconds in SQLite. A thread runs one synchronous read at a time, so a connection of its
/// own needs no checkout at all. A read nested inside another on the same thread, or on a
/// thread beyond the first ``limit``, uses the pool as before.
final class ThreadReaders: @unchecked Sendable {
    // Safe: `readers` is only touched while holding `lock`; a `Reader`'s `busy` flag only by
    // the thread it belongs to.
    private let lock = NSLock()
    private var readers: [pthread_t: Reader] = [:]
    private var failed = false
    private let path: String
    private let configuration: Configuration

    /// The most threads that get a connection of their own (the task pool, the event loops and
    /// a few others): past it, reads share the pool, which bounds the memory of page caches.
    static let limit = 8

    init(path: String, configuration: Configuration) {
        self.path = path
        self.configuration = configuration
    }

    /// A thread's own connection.
    final class Reader {
        let queue: DatabaseQueue
        var busy = false
        init(_ queue: DatabaseQueue) { self.queue = queue }
    }

    /// This thread's reader if it is free, marked busy; nil means "use the pool".
    func claim() -> Reader? {
        let thread = pthread_self()
        let reader: Reader? = lock.withLock {
            if let known = readers[thread] { return known }
            guard !failed, readers.count < Self.limit else { return nil }
            do {
                let created = Reader(try DatabaseQueue(path: path, configuration: configuration))
                readers[thread] = created
                return created
            } catch {
                // Opening failed (descriptors exhausted?): the pool still works; stop trying.
                failed = true
                return nil
            }
        }
        guard let reader, !reader.busy else { return nil }
        reader.busy = true
        return reader
    }

    /// Marks the reader free again; call on the thread that claimed it.
    func release(_ reader: Reader) {
        reader.busy = false
    }

    /// How many threads have a connection of their own (tests).
    var count: Int { lock.withLock { readers.count } }
}
