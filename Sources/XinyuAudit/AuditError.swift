/// Why the audit log refused to do something, in words an operator can act on.
public enum AuditError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key file can be read or written by group or others; `mode` is its permission bits.
    case keyFileTooOpen(path: String, mode: UInt16)
    /// The key file exists but does not hold exactly 32 bytes.
    case keyFileInvalid(path: String, size: Int)
    /// The key file could not be created or read; `reason` is the system's message.
    case keyFileUnavailable(path: String, reason: String)
    /// `prune` found the part it would delete already broken; pruning would hide the evidence.
    case chainBroken(AuditChainBreak)
    /// A stored row cannot be decoded (its subjects or time column is not what the log writes).
    case corruptEntry(sequence: Int64, detail: String)

    /// A sentence for logs and the admin CLI.
    public var description: String {
        switch self {
        case let .keyFileTooOpen(path, mode):
            "audit key file \(path) is accessible by group or others (mode \(String(mode, radix: 8))); "
                + "run: chmod 600 \(path)"
        case let .keyFileInvalid(path, size):
            "audit key file \(path) holds \(size) bytes, not 32; restore it from backup "
                + "(a new key cannot verify the existing trail)"
        case let .keyFileUnavailable(path, reason):
            "audit key file \(path) cannot be used: \(reason)"
        case let .chainBroken(problem):
            "audit trail is broken, refusing to prune: \(problem)"
        case let .corruptEntry(sequence, detail):
            "audit entry \(sequence) cannot be read: \(detail)"
        }
    }
}
