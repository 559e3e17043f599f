/// The first place where the audit chain does not hold, in words an auditor can act on.
public struct AuditChainBreak: Sendable, Equatable, CustomStringConvertible {
    /// How the chain is broken.
    public enum Kind: String, Sendable, Equatable {
        /// An entry's stored contents do not match its hash: changed after it was appended.
        case edited
        /// Entries are missing: from the middle (a gap in the sequence), from the start without a
        /// retention anchor, or from the end (the head record names a later entry).
        case deleted
        /// An entry's contents are sealed for a different position: entries were swapped or renumbered.
        case reordered
        /// The retention anchor left by pruning is forged or does not lead to the oldest remaining entry.
        case anchorMismatch
        /// The head record (newest sequence and hash) is missing, forged or disagrees with the newest entry.
        case headMismatch
    }

    /// The first entry affected (for `.deleted`, the first missing one).
    public var sequence: Int64
    /// How the chain is broken.
    public var kind: Kind
    /// One sentence, e.g. "entry 1042: contents do not match its hash (edited)".
    public var description: String

    /// Creates a break value.
    public init(sequence: Int64, kind: Kind, description: String) {
        self.sequence = sequence
        self.kind = kind
        self.description = description
    }
}
