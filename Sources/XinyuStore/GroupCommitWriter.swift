import Foundation
import GRDB

/// Group commit: concurrent writes share one SQLite transaction and one fsync.
///
/// With `synchronous=FULL` in WAL mode every COMMIT waits for an fsync of the log, and that
/// fsync, not the SQL, is what a single durable write costs. Writes queue up here; a drain
/// running on the writer connection takes everything queued so far and runs it in one
/// IMMEDIATE transaction, then, still on the writer, takes what queued meanwhile:
///
/// ```
///   caller A ──▶ [A]            commit ─▶ ack A
///   caller B ───────▶ queue ┐
///   caller C ───────▶ queue ┴─▶ [B, C]  commit ─▶ ack B, ack C
/// ```
///
/// Each write runs in its own SAVEPOINT, so one that throws rolls back only its own changes
/// and gets its own error; the others still commit. No caller hears of success until the
/// transaction that holds its changes has committed (and so, with FULL, reached the disk):
/// an acknowledgement promises exactly what a transaction per write promised. If the commit
/// itself fails, every write in the group gets that error, and none of them happened.
///
/// There is no timer: a lone write commits at once. Batching comes only from writes that
/// would otherwise have waited for the write lock anyway. The drain runs groups back to back
/// without leaving the writer's thread (handing the next group to a caller's task cost a
/// thread hop per group, during which the writer sat idle), but gives the writer up after
/// ``groupsPerTurn`` groups so that plain `write` calls (jobs, the idempotency ledger) are
/// never starved by a steady stream of grouped writes.
public final class GroupCommitWriter: @unchecked Sendable {
    // Safe: `queue` and `draining` are only touched while holding `lock`; jobs hand results
    // to their callers through continuations, which are resumed exactly once.
    private let lock = NSLock()
    private var queue: [Job] = []
    private var draining = false
    private let pool: DatabasePool
    private let maxGroup: Int
    private let onCommit: (@Sendable (Int) -> Void)?

    /// How many groups one turn on the writer runs before letting other writes in.
    static let groupsPerTurn = 8

    /// Creates a writer over `pool`'s single writer connection.
    /// - Parameters:
    ///   - maxGroup: the most writes one transaction takes; the rest wait for the next one.
    ///   - onCommit: told the size of every group that committed (tests, metrics).
    init(pool: DatabasePool, maxGroup: Int = 512, onCommit: (@Sendable (Int) -> Void)? = nil) {
        self.pool = pool
        self.maxGroup = maxGroup
        self.onCommit = onCommit
    }

    /// Runs `body` in a savepoint of the next group's transaction and returns its result once
    /// that transaction has committed. Throws `body`'s own error (its changes rolled back), or
    /// the commit's error (nothing of the group was written).
    public func write<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        let job = Job()
        let box = ResultBox<T>()
        job.run = { db in
            do {
                try db.inSavepoint {
                    box.result = .success(try body(db))
                    return .commit
                }
                return nil
            } catch {
                box.result = .failure(error)
                return error
            }
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            job.continuation = continuation
            let startDrain = lock.withLock {
                queue.append(job)
                if draining { return false }
                draining = true
                return true
            }
            if startDrain { startTurn() }
        }
        if let failure = job.groupFailure { throw failure }
        guard let result = box.result else {
            preconditionFailure("group commit finished a write without running it")
        }
        return try result.get()
    }

    /// Starts a turn on the writer in a task of its own: no caller's cancellation or
    /// executor touches it.
    private func startTurn() {
        Task.detached { await self.runTurn() }
    }

    private func runTurn() async {
        let more: Bool
        do {
            more = try await pool.writeWithoutTransaction { db in
                for _ in 0..<Self.groupsPerTurn {
                    guard let group = self.takeGroup() else { return false }
                    self.commit(group, db)
                }
                // Stop draining here if nothing is queued (under the lock, so a write that
                // arrives next starts a new turn), or keep it and continue in a new turn.
                return self.lock.withLock {
                    if self.queue.isEmpty { self.draining = false }
                    return self.draining
                }
            }
        } catch {
            // The writer could not be reached at all (the pool is closing): fail what waits.
            let waiting: [Job] = lock.withLock {
                let all = queue
                queue.removeAll()
                draining = false
                return all
            }
            for job in waiting {
                job.groupFailure = error
                job.resume()
            }
            return
        }
        if more { startTurn() }
    }

    /// The next group, or nil (and the drain stops) when nothing is queued.
    private func takeGroup() -> [Job]? {
        lock.withLock {
            guard !queue.isEmpty else {
                draining = false
                return nil
            }
            let n = min(queue.count, maxGroup)
            let taken = Array(queue.prefix(n))
            queue.removeFirst(n)
            return taken
        }
    }

    private func commit(_ group: [Job], _ db: Database) {
        var failure: Error?
        // The error of the write that made SQLite roll back the whole transaction (I/O error,
        // disk full): every write of the group fails with it, so callers see the real cause
        // (e.g. SQLITE_FULL) rather than "transaction aborted".
        var rootCause: Error?
        do {
            try db.inTransaction(.immediate) {
                for job in group {
                    // A failure SQLite answers by rolling back the whole transaction leaves
                    // nothing to add to: fail the rest of the group.
                    guard db.isInsideTransaction else { throw GroupCommitError.transactionAborted }
                    let bodyError = job.run?(db) ?? nil
                    if !db.isInsideTransaction, rootCause == nil { rootCause = bodyError }
                }
                return .commit
            }
            onCommit?(group.count)
        } catch {
            failure = rootCause ?? error
        }
        for job in group {
            job.groupFailure = failure
            job.resume()
        }
    }

    final class Job: @unchecked Sendable {
        /// Runs the write in its savepoint; returns its own error, if it failed.
        var run: ((Database) -> Error?)?
        var continuation: CheckedContinuation<Void, Never>?
        var groupFailure: Error?

        func resume() {
            continuation?.resume()
            continuation = nil
        }
    }

    final class ResultBox<T>: @unchecked Sendable {
        // Written by the drain inside the transaction, read by the caller after resumption.
        var result: Result<T, Error>?
    }
}

public enum GroupCommitError: Error, CustomStringConvertible {
    /// SQLite rolled the shared transaction back (an I/O error or a full disk) before this write ran.
    case transactionAborted

    public var description: String {
        "the database rolled back the transaction this write shared; nothing was written, retry"
    }
}
