import Foundation
import GRDB

/// The transactional outbox: events recorded in the same transaction as the change they describe,
/// delivered to each subscriber in id order from its own cursor.
///
/// Every function takes the caller's `Database`, so it runs inside the caller's transaction.
/// Call `SharedDatabase.migrateCore()` before using it.
///
/// Id order is commit order: SQLite lets one writer at a time hold the file, so an event whose id is
/// lower than a visible event's can never commit later. A cursor therefore never skips an event.
public enum Outbox {
    /// Columns that `OutboxEvent.init(row:)` decodes.
    static let columns = "id, topic, publisher, actor_id, recorded_at_ms, payload"

    /// One topic's events after a cursor, oldest first: a seek on `xinyu_outbox_by_topic` (topic, id).
    static let pendingForTopicSQL = """
        SELECT \(columns) FROM xinyu_outbox
        WHERE topic = ? AND id > ?
        ORDER BY id
        LIMIT ?
        """

    /// Records an event in the caller's open transaction, so it exists iff the change it describes commits.
    ///
    /// Returns the new event's id. Call it inside a write transaction (`SharedDatabase.write`), not in
    /// autocommit mode, or the event and the change could commit separately.
    @discardableResult
    public static func append(
        _ db: Database, topic: String, publisher: String, actorID: String, payload: [UInt8]
    ) throws -> Int64 {
        // ifnull: an empty Data may bind with a null pointer, which SQLite stores as NULL; keep it an empty blob.
        try db.execute(sql: """
            INSERT INTO xinyu_outbox (topic, publisher, actor_id, recorded_at_ms, payload)
            VALUES (?, ?, ?, ?, ifnull(?, X''))
            """, arguments: [topic, publisher, actorID, WallClock.nowMs(), Data(payload)])
        return db.lastInsertedRowID
    }

    /// Events with id > the subscriber's cursor whose topic is in `topics`, oldest first, at most `limit`.
    ///
    /// Reading does not move the cursor: call `acknowledge` once the events are handled.
    /// Returns nothing when `topics` is empty or `limit` is not positive.
    public static func pending(_ db: Database, subscriber: String, topics: [String], limit: Int) throws -> [OutboxEvent] {
        guard limit > 0 else { return [] }
        let after = try cursor(db, subscriber: subscriber)
        // One index seek per topic, each already in id order and capped at `limit`, then a merge:
        // the cost stays proportional to topics × limit however many events the table holds.
        var events: [OutboxEvent] = []
        for topic in Set(topics) {
            let rows = try Row.fetchAll(db, sql: pendingForTopicSQL, arguments: [topic, after, limit])
            events += rows.map(OutboxEvent.init(row:))
        }
        events.sort { $0.id < $1.id }
        return Array(events.prefix(limit))
    }

    /// Moves the subscriber's cursor to eventID (never backwards).
    ///
    /// Acknowledging an id lower than the cursor changes nothing. Throws
    /// `StoreError.acknowledgedUnknownEvent` for an id never assigned to an event, because a cursor
    /// above the newest event would skip the events published next.
    public static func acknowledge(_ db: Database, subscriber: String, eventID: Int64) throws {
        let latest = try latestAssignedID(db)
        guard eventID >= 0, eventID <= latest else {
            throw StoreError.acknowledgedUnknownEvent(subscriber: subscriber, eventID: eventID, latestEventID: latest)
        }
        try db.execute(sql: """
            INSERT INTO xinyu_outbox_cursor (subscriber, last_event_id) VALUES (?, ?)
            ON CONFLICT (subscriber) DO UPDATE SET last_event_id = max(last_event_id, excluded.last_event_id)
            """, arguments: [subscriber, eventID])
    }

    /// The id of the last event the subscriber acknowledged; 0 before its first acknowledgement.
    public static func cursor(_ db: Database, subscriber: String) throws -> Int64 {
        try Int64.fetchOne(db, sql: """
            SELECT last_event_id FROM xinyu_outbox_cursor WHERE subscriber = ?
            """, arguments: [subscriber]) ?? 0
    }

    /// Newest event id overall (0 when empty): lets the host notice new events cheaply.
    ///
    /// One seek to the end of the primary key, whatever the table's size.
    public static func latestEventID(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT max(id) FROM xinyu_outbox") ?? 0
    }

    /// The highest id ever handed out, including events since deleted (AUTOINCREMENT's own record).
    private static func latestAssignedID(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: """
            SELECT seq FROM sqlite_sequence WHERE name = 'xinyu_outbox'
            """) ?? 0
    }
}
