import Foundation
import GRDB

/// Group commit: concurrent writes share one SQLite transaction and one fsync.
///
/// With `synchronous=FULL` in WAL mode every COMMIT waits for an fsync of the log, and that
/// fsync, not the SQL, is what a single durable write costs. Writes that arrive while a commit
/// is in flight queue up; when it finishes, the next one in the queue becomes the leader and
/// runs everything queued so far in one IMMEDIATE transaction:
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
/// There is no timer: a lone write commits at once, as before. Batching comes only from
/// writes that would otherwise have waited for the write lock anyway.
public final class GroupCommitWriter: @unchecked Sendable {
    // Safe: `queue` and `leading` are only touched while holding `lock`; jobs hand results
    // to their callers through continuations, which are resumed exactly once.
    private let lock = NSLock()
    private var queue: [Job] = []
    private var leading = false
    private let pool: DatabasePool
    private let maxGroup: Int
    private let onCommit: (@Sendable (Int) -> Void)?

    /// Creates a writer over `pool`'s single writer connection.
    /// - Parameters:
    ///   - maxGroup: the most writes one transaction takes; the rest wait for the next one.
    ///   - onCommit: told the size of every group that committed (tests, metrics).
    init(pool: DatabasePool, maxGroup: Int = 512, onCommit: (@Sendable (Int) -> Void)? = nil) {
        self.pool = pool
        self.maxGroup = maxGroup
        self.onCommit = onCommit
    }

    /// Runs `body` in its own savepoint inside a shared transaction; returns once that transaction committed.
    public func write<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        let job = Job()
        let box = ResultBox<T>()
        job.run = { db in
            do {
                try db.inSavepoint {
                    box.result = .success(try body(db))
                    return .commit
                }
            } catch {
                box.result = .failure(error)
            }
        }
        let role = await withCheckedContinuation { (continuation: CheckedContinuation<Role, Never>) in
            job.continuation = continuation
            let lead = lock.withLock {
                queue.append(job)
                if leading { return false }
                leading = true
                return true
            }
            if lead { job.resume(.lead) }
        }
        if role == .lead {
            await leadOneGroup()
        }
        // Either this job's group has committed (or failed) and its result is set, or this
        // task led a group that contained it.
        if let failure = job.groupFailure { throw failure }
        guard let result = box.result else {
            preconditionFailure("group commit finished a write without running it")
        }
        return try result.get()
    }

    /// Takes up to `maxGroup` queued writes, runs them in one transaction, answers them, and
    /// hands leadership to the first write still queued (or stands down).
    private func leadOneGroup() async {
        let group: [Job] = lock.withLock {
            let n = min(queue.count, maxGroup)
            let taken = Array(queue.prefix(n))
            queue.removeFirst(n)
            return taken
        }
        var failure: Error?
        do {
            try await pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    for job in group {
                        // A failure SQLite answers by rolling back the whole transaction (I/O
                        // error, disk full) leaves nothing to add to: fail the rest of the group.
                        guard db.isInsideTransaction else { throw GroupCommitError.transactionAborted }
                        job.run?(db)
                    }
                    return .commit
                }
            }
            onCommit?(group.count)
        } catch {
            failure = error
        }
        let next: Job? = lock.withLock {
            if let first = queue.first { return first }
            leading = false
            return nil
        }
        // The leader's own continuation was resumed already (with .lead); answer the others.
        for job in group {
            job.groupFailure = failure
            if job.roleGiven { continue }
            job.resume(.done)
        }
        next?.resume(.lead)
    }

    enum Role: Sendable { case lead, done }

    /// One queued write. Its fields are set before it is queued or by the leader that runs it,
    /// and read by its caller only after its continuation resumed: never at the same time.
    final class Job: @unchecked Sendable {
        var run: ((Database) -> Void)?
        var continuation: CheckedContinuation<Role, Never>?
        var groupFailure: Error?
        var roleGiven = false

        func resume(_ role: Role) {
            guard !roleGiven, let continuation else { return }
            roleGiven = true
            continuation.resume(returning: role)
        }
    }

    /// Where a write's result waits for its group's commit.
    final class ResultBox<T>: @unchecked Sendable {
        // Written by the leader inside the transaction, read by the caller after resumption.
        var result: Result<T, Error>?
    }
}

/// Why a write in a group failed although its own body did not throw.
public enum GroupCommitError: Error, CustomStringConvertible {
    /// SQLite rolled the shared transaction back (an I/O error or a full disk) before this write ran.
    case transactionAborted

    public var description: String {
        "the database rolled back the transaction this write shared; nothing was written, retry"
    }
}
