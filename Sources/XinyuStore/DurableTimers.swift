import Foundation
import GRDB

/// Durable timers in the shared database (`xinyu_timers`): scheduled inside the owner's write
/// transaction, fired once by the owner's runtime, marked fired in the handler's transaction.
///
/// Every function takes the caller's `Database`, so it runs inside the caller's transaction,
/// and takes the time from the caller: plugins read it from their dispatcher's clock, which
/// tests control. Every query names the owner, so one plugin never sees or fires another's.
public enum DurableTimers {
    /// Schedules (or replaces) the owner's timer `key`: pending again from now, whatever state
    /// an earlier timer with that key was in (pending, fired or failing).
    public static func schedule(
        _ db: Database, owner: String, key: String, topic: String, dueAtMs: Int64, payload: [UInt8], nowMs: Int64
    ) throws {
        // ifnull: an empty Data may bind as NULL; keep it an empty blob.
        try db.execute(sql: """
            INSERT INTO xinyu_timers (owner, key, topic, due_at_ms, fire_at_ms, payload, version, attempts, last_error, scheduled_at_ms, fired_at_ms)
            VALUES (?, ?, ?, ?, ?, ifnull(?, X''), 1, 0, '', ?, NULL)
            ON CONFLICT (owner, key) DO UPDATE SET
                topic = excluded.topic, due_at_ms = excluded.due_at_ms, fire_at_ms = excluded.fire_at_ms,
                payload = excluded.payload, version = version + 1, attempts = 0, last_error = '',
                scheduled_at_ms = excluded.scheduled_at_ms, fired_at_ms = NULL
            """, arguments: [owner, key, topic, dueAtMs, dueAtMs, Data(payload), nowMs])
    }

    /// Cancels the owner's pending timer `key`. Returns false when there was none pending
    /// (never scheduled, already fired or already cancelled).
    @discardableResult
    public static func cancel(_ db: Database, owner: String, key: String) throws -> Bool {
        try db.execute(sql: "DELETE FROM xinyu_timers WHERE owner = ? AND key = ? AND fired_at_ms IS NULL", arguments: [owner, key])
        return db.changesCount > 0
    }

    /// Moves the owner's pending timer `key` to a new due time, payload unchanged, failed
    /// attempts forgotten. Returns false when there was none pending.
    @discardableResult
    public static func move(_ db: Database, owner: String, key: String, toDueAtMs dueAtMs: Int64) throws -> Bool {
        try db.execute(sql: """
            UPDATE xinyu_timers SET due_at_ms = ?, fire_at_ms = ?, version = version + 1, attempts = 0, last_error = ''
            WHERE owner = ? AND key = ? AND fired_at_ms IS NULL
            """, arguments: [dueAtMs, dueAtMs, owner, key])
        return db.changesCount > 0
    }

    /// The owner's pending timer `key`, or nil when none is pending.
    public static func pending(_ db: Database, owner: String, key: String) throws -> ScheduledTimer? {
        try Row.fetchOne(db, sql: """
            SELECT \(ScheduledTimer.columns) FROM xinyu_timers WHERE owner = ? AND key = ? AND fired_at_ms IS NULL
            """, arguments: [owner, key]).map(ScheduledTimer.init(row:))
    }

    /// The owner's pending timers whose time to fire has come, earliest first, at most `limit`.
    public static func due(_ db: Database, owner: String, atMs nowMs: Int64, limit: Int) throws -> [ScheduledTimer] {
        try Row.fetchAll(db, sql: """
            SELECT \(ScheduledTimer.columns) FROM xinyu_timers
            WHERE owner = ? AND fired_at_ms IS NULL AND fire_at_ms <= ?
            ORDER BY fire_at_ms, key LIMIT ?
            """, arguments: [owner, nowMs, limit]).map(ScheduledTimer.init(row:))
    }

    /// When the owner's next pending timer is to fire; nil when none is pending.
    public static func nextFireAtMs(_ db: Database, owner: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: """
            SELECT min(fire_at_ms) FROM xinyu_timers WHERE owner = ? AND fired_at_ms IS NULL
            """, arguments: [owner])
    }

    /// Marks the timer fired, in the transaction of the handler that acted on it.
    ///
    /// Throws ``TimerNoLongerPending`` when the timer is no longer pending at `version`
    /// (cancelled, moved, rescheduled, or fired by another attempt): the caller's transaction
    /// must then roll back, so the handler's writes apply at most once and only for the
    /// timer as it was read.
    public static func markFired(_ db: Database, owner: String, key: String, version: Int64, nowMs: Int64) throws {
        try db.execute(sql: """
            UPDATE xinyu_timers SET fired_at_ms = ? WHERE owner = ? AND key = ? AND version = ? AND fired_at_ms IS NULL
            """, arguments: [nowMs, owner, key, version])
        guard db.changesCount > 0 else { throw TimerNoLongerPending(owner: owner, key: key) }
    }

    /// Records a failed attempt and when to try again. `reason` must hold no personal data
    /// (an error type, a status code). Does nothing when the timer changed meanwhile.
    public static func recordFailure(
        _ db: Database, owner: String, key: String, version: Int64, retryAtMs: Int64, reason: String
    ) throws {
        try db.execute(sql: """
            UPDATE xinyu_timers SET attempts = attempts + 1, fire_at_ms = ?, last_error = ?
            WHERE owner = ? AND key = ? AND version = ? AND fired_at_ms IS NULL
            """, arguments: [retryAtMs, reason, owner, key, version])
    }
}
