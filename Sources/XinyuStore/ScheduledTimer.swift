import Foundation
import GRDB

/// One pending durable timer, as the runtime reads it to fire it.
public struct ScheduledTimer: Sendable, Equatable {
    /// The plugin (or "host") that scheduled it; only that owner's runtime fires it.
    public let owner: String
    /// Unique within the owner, e.g. "case-42-assignment": what cancel and move name.
    public let key: String
    /// Which registered handler runs it, e.g. "crisis.case.assignment-due".
    public let topic: String
    /// The time the owner asked for (ms since 1970, UTC).
    public let dueAtMs: Int64
    /// When the runtime next tries: the due time, or later after failed attempts.
    public let fireAtMs: Int64
    /// The owner's encoded payload.
    public let payload: [UInt8]
    /// Grows with every schedule or move of this key.
    public let version: Int64
    /// Failed attempts so far.
    public let attempts: Int

    /// Columns that `init(row:)` decodes.
    static let columns = "owner, key, topic, due_at_ms, fire_at_ms, payload, version, attempts"

    init(row: Row) {
        owner = row["owner"]
        key = row["key"]
        topic = row["topic"]
        dueAtMs = row["due_at_ms"]
        fireAtMs = row["fire_at_ms"]
        payload = [UInt8](row["payload"] as Data)
        version = row["version"]
        attempts = row["attempts"]
    }
}

/// A timer firing found its timer cancelled, moved, rescheduled or already fired by another
/// attempt: the firing's transaction rolls back, so its handler's writes never apply.
public struct TimerNoLongerPending: Error, Sendable, CustomStringConvertible {
    /// The timer's owner.
    public let owner: String
    /// The timer's key.
    public let key: String
    /// A sentence for logs.
    public var description: String { "timer \(owner)/\(key) is no longer pending at the version being fired" }
}
