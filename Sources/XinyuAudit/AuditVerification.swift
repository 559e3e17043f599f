/// What `AuditLog.verify()` found: how much of the trail it checked and, if the chain is broken, where first.
public struct AuditVerification: Sendable, Equatable {
    /// Entries whose hashes were recomputed and matched, before the first break (all of them if intact).
    public var checked: Int
    /// The oldest entry still stored (after the retention anchor); nil when the trail is empty.
    public var firstSequence: Int64?
    /// The newest entry stored; nil when the trail is empty.
    public var lastSequence: Int64?
    /// The first place the chain breaks; nil means the trail is intact.
    public var problem: AuditChainBreak?

    /// True when no break was found.
    public var isIntact: Bool { problem == nil }

    /// Creates a result value (the log creates them; this exists for tests and fakes).
    public init(checked: Int, firstSequence: Int64?, lastSequence: Int64?, problem: AuditChainBreak?) {
        self.checked = checked
        self.firstSequence = firstSequence
        self.lastSequence = lastSequence
        self.problem = problem
    }
}
