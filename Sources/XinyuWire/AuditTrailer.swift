/// Reserved trailer keys on which a plugin tells the host what to put in the audit trail.
///
/// The host reads them from a call's `end`, records them and strips them before the answer
/// reaches the client, so they never leave the host.
public enum AuditTrailer {
    /// Comma-separated ids of the data subjects (students) the call read or changed.
    public static let subjects = "xinyu-subjects"
    /// A short note for the audit entry, e.g. "scope violation …". Never personal data.
    public static let note = "xinyu-audit-note"

    /// True for every key the host must strip before answering a client.
    public static func isAuditTrailer(_ key: String) -> Bool {
        key == subjects || key.hasPrefix("xinyu-audit")
    }
}
