import GRDB
import NIOConcurrencyHelpers
import XinyuStore
import XinyuWire

/// The shared database as one call sees it.
///
/// `write` runs one transaction. For a mutating call with an idempotency key it also marks the
/// key as applied in that same transaction, and for an event delivery it records the event as
/// handled in that same transaction, so a crash can never apply a change twice.
public struct CallStore: Sendable {
    let database: SharedDatabase
    let idempotency: (scope: IdempotencyScope, digest: String)?
    let inbox: (subscriber: String, eventID: Int64)?
    let wrote = NIOLockedValueBox(false)
    /// Marks a fired timer inside the first write; wakes the timer loop after a write that scheduled one.
    let timers: CallTimers

    init(database: SharedDatabase, idempotency: (scope: IdempotencyScope, digest: String)? = nil, inbox: (subscriber: String, eventID: Int64)? = nil,
         timers: CallTimers = CallTimers()) {
        self.database = database
        self.idempotency = idempotency
        self.inbox = inbox
        self.timers = timers
    }

    /// Reads in a snapshot of the database.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await database.read(body)
    }

    /// Writes atomically and durably; everything in `body` commits together or not at all.
    ///
    /// Concurrent calls share one SQLite transaction and fsync (group commit), each in its own
    /// savepoint: `body`, the idempotency-ledger entry and the inbox mark of one call commit
    /// together or not at all, and this returns only after they committed.
    public func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let idempotency = self.idempotency
        let inbox = self.inbox
        let timers = self.timers
        let result = try await database.groupWrite { db -> T in
            if let idempotency {
                // Re-checked inside the write lock: a concurrent retry with the same key that
                // got here first wins, this one changes nothing.
                guard try IdempotencyLedger.state(db, scope: idempotency.scope, requestDigest: idempotency.digest) == .fresh else {
                    throw RPCError(.aborted, "another call with idempotency key '\(idempotency.scope.key)' changed data first; retry to get its answer")
                }
            }
            try timers.markFiredIfFiring(db)
            let value = try body(db)
            if let idempotency {
                try IdempotencyLedger.markApplied(db, scope: idempotency.scope, requestDigest: idempotency.digest)
            }
            if let inbox {
                try EventInbox.markHandled(db, subscriber: inbox.subscriber, eventID: inbox.eventID)
            }
            return value
        }
        wrote.withLockedValue { $0 = true }
        timers.committed()
        return result
    }
}
