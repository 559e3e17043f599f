import GRDB
import NIOConcurrencyHelpers
import SwiftProtobuf
import XinyuRPC
import XinyuStore
import XinyuWire

/// The shared database as one call sees it.
///
/// `write` runs one transaction. For a mutating call with an idempotency key it also marks the
/// key as applied in that same transaction, and for an event delivery it records the event as
/// handled in that same transaction, so a crash can never apply a change twice.
///
/// When the write of a unary mutating call returns a value of the method's response type, that
/// value is recorded as the call's answer in the same transaction as the change: a retry with the
/// same key then gets it even if the plugin died, or the deadline cancelled the handler, right
/// after the commit (the usual shape `return try await context.store.write { db in …; return reply }`).
public struct CallStore: Sendable {
    let database: SharedDatabase
    let idempotency: (scope: IdempotencyScope, digest: String)?
    let inbox: (subscriber: String, eventID: Int64)?
    let wrote = NIOLockedValueBox(false)
    /// The response type whose value, returned by the write, is recorded as the answer; nil for
    /// streaming calls and calls without an idempotency key.
    let answerType: (any SwiftProtobuf.Message.Type)?
    /// The response bytes a write recorded as the call's answer in its own transaction, if any.
    let answeredInWrite = NIOLockedValueBox<[UInt8]?>(nil)
    /// Marks a fired timer inside the first write; wakes the timer loop after a write that scheduled one.
    let timers: CallTimers

    init(database: SharedDatabase, idempotency: (scope: IdempotencyScope, digest: String)? = nil, inbox: (subscriber: String, eventID: Int64)? = nil,
         timers: CallTimers = CallTimers(), answerType: (any SwiftProtobuf.Message.Type)? = nil) {
        self.database = database
        self.idempotency = idempotency
        self.answerType = idempotency == nil ? nil : answerType
        self.inbox = inbox
        self.timers = timers
    }

    /// A store for work outside any call (start-up jobs, tests): its writes record no
    /// idempotent answer and mark no event handled.
    public static func outsideCalls(_ database: SharedDatabase) -> CallStore {
        CallStore(database: database)
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
        let answerType = self.answerType
        let answered = NIOLockedValueBox<[UInt8]?>(nil)
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
                if let answerType, let reply = value as? any SwiftProtobuf.Message,
                   ObjectIdentifier(Swift.type(of: reply)) == ObjectIdentifier(answerType) {
                    // The answer commits with the change, so no crash or cancellation between
                    // the two can leave the key applied without an answer.
                    let bytes: [UInt8] = try reply.serializedBytes()
                    let answer = StoredAnswer(code: StatusCode.ok.rawValue, message: CallStatus.ok.message, response: bytes)
                    try IdempotencyLedger.recordAnswer(db, scope: idempotency.scope, requestDigest: idempotency.digest, answer: answer)
                    answered.withLockedValue { $0 = bytes }
                } else {
                    try IdempotencyLedger.markApplied(db, scope: idempotency.scope, requestDigest: idempotency.digest)
                }
            }
            if let inbox {
                try EventInbox.markHandled(db, subscriber: inbox.subscriber, eventID: inbox.eventID)
            }
            return value
        }
        wrote.withLockedValue { $0 = true }
        if let bytes = answered.withLockedValue({ $0 }) { answeredInWrite.withLockedValue { $0 = bytes } }
        timers.committed()
        return result
    }
}
