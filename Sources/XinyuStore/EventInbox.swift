import GRDB

/// Subscriber-side dedupe: which outbox events a subscriber has already handled, so handlers are idempotent by event id.
///
/// Call `markHandled` in the same transaction as the handler's changes: then an event is marked iff its
/// effects committed, and a redelivered event (say, after a crash before `Outbox.acknowledge`) is skipped.
public enum EventInbox {
    /// True if `markHandled` for this subscriber and event has committed (or ran earlier in this transaction).
    public static func hasHandled(_ db: Database, subscriber: String, eventID: Int64) throws -> Bool {
        try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM xinyu_inbox WHERE subscriber = ? AND event_id = ?)
            """, arguments: [subscriber, eventID]) ?? false
    }

    /// Records that the subscriber handled the event. Returns false if it was already recorded.
    ///
    /// False means an earlier delivery already applied the event: skip its effects rather than apply them twice.
    @discardableResult
    public static func markHandled(_ db: Database, subscriber: String, eventID: Int64) throws -> Bool {
        try db.execute(sql: """
            INSERT INTO xinyu_inbox (subscriber, event_id, handled_at_ms) VALUES (?, ?, ?)
            ON CONFLICT DO NOTHING
            """, arguments: [subscriber, eventID, WallClock.nowMs()])
        return db.changesCount > 0
    }
}
