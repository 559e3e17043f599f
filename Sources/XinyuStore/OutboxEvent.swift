import Foundation
import GRDB

/// One event recorded in the outbox, as a subscriber receives it.
public struct OutboxEvent: Sendable, Equatable {
    /// Position in the outbox: strictly increasing in commit order, never reused.
    public let id: Int64
    /// What happened, e.g. "directory.student.created"; subscribers choose events by topic.
    public let topic: String
    /// The owner (plugin or host) whose change the event describes.
    public let publisher: String
    /// The principal whose call caused the change.
    public let actorID: String
    /// When the publishing transaction recorded it (ms since 1970, UTC). For display only: order by `id`.
    public let recordedAtMs: Int64
    /// The publisher's encoded message.
    public let payload: [UInt8]

    /// Creates an event value (the outbox creates them; this exists for tests and fakes).
    public init(id: Int64, topic: String, publisher: String, actorID: String, recordedAtMs: Int64, payload: [UInt8]) {
        self.id = id
        self.topic = topic
        self.publisher = publisher
        self.actorID = actorID
        self.recordedAtMs = recordedAtMs
        self.payload = payload
    }

    /// Decodes a row selected with `Outbox.columns`.
    init(row: Row) {
        self.init(
            id: row["id"],
            topic: row["topic"],
            publisher: row["publisher"],
            actorID: row["actor_id"],
            recordedAtMs: row["recorded_at_ms"],
            payload: [UInt8](row["payload"] as Data))
    }
}
