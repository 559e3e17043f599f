/// An entry as stored: its place in the chain and the keyed hash that seals it.
public struct AuditRecord: Sendable, Equatable {
    /// Position in the trail: 1, 2, 3, ... in append order, never reused (pruning keeps the numbers).
    public var sequence: Int64
    /// What was recorded; `time` is at millisecond precision.
    public var entry: AuditEntry
    /// HMAC-SHA256 of the previous hash and this entry, as 64 lowercase hex digits.
    public var hash: String

    /// Creates a record value (the log creates them; this exists for tests and fakes).
    public init(sequence: Int64, entry: AuditEntry, hash: String) {
        self.sequence = sequence
        self.entry = entry
        self.hash = hash
    }
}
