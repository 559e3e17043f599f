/// A misuse or an unsafe state that the store refuses, rather than risk losing or doubling a write.
///
/// Every case is thrown from inside the caller's transaction, so throwing it rolls that transaction back.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The same migration name appears twice in one owner's list.
    case duplicateMigrationName(owner: String, name: String)
    /// The file records migrations for this owner that the given list does not contain:
    /// a newer build (or a renamed migration) wrote it, and older code must not run against it.
    case unknownAppliedMigrations(owner: String, names: [String])
    /// `Outbox.acknowledge` was given an id that was never assigned to an event;
    /// moving a cursor there would silently skip events published later.
    case acknowledgedUnknownEvent(subscriber: String, eventID: Int64, latestEventID: Int64)
    /// `IdempotencyLedger.markApplied` found the key already recorded: another attempt got there first,
    /// so this attempt's changes must roll back instead of being applied twice.
    case idempotencyKeyAlreadyUsed(IdempotencyScope)
    /// The key is recorded for a request with a different digest.
    case idempotencyDigestMismatch(IdempotencyScope)
    /// A different answer is already stored for this key; stored answers never change.
    case answerAlreadyRecorded(IdempotencyScope)
    /// A stored row holds a value the schema's CHECK constraints should have made impossible.
    case corruptRow(table: String, detail: String)
    /// The page-token key is missing: the core migrations (`migrateCore()`) have not run on this file.
    case missingPageTokenKey
    /// The file was last opened by a newer host release than this one (``WriterVersionStamp``):
    /// migrations are forward-only, so this older code must not run on it.
    case newerDatabase(path: String, written: String, running: String)

    /// A sentence for logs.
    public var description: String {
        switch self {
        case let .duplicateMigrationName(owner, name):
            "migration \(owner)/\(name) is listed twice"
        case let .unknownAppliedMigrations(owner, names):
            "database has migrations for \(owner) that this build does not know: \(names.joined(separator: ", "))"
        case let .acknowledgedUnknownEvent(subscriber, eventID, latest):
            "\(subscriber) acknowledged event \(eventID), but the newest event ever recorded is \(latest)"
        case let .idempotencyKeyAlreadyUsed(scope):
            "idempotency key \(scope) was already applied by another attempt"
        case let .idempotencyDigestMismatch(scope):
            "idempotency key \(scope) was used earlier with a different request"
        case let .answerAlreadyRecorded(scope):
            "idempotency key \(scope) already has a different answer"
        case let .corruptRow(table, detail):
            "unexpected row in \(table): \(detail)"
        case .missingPageTokenKey:
            "xinyu_page_token_key has no key; apply the core migrations (core/005-page-token-key) first"
        case let .newerDatabase(path, written, running):
            "\(path) was written by xinyu-host \(written), and this is xinyu-host \(running): an older host never runs on a "
                + "newer database (migrations are forward-only). Install xinyu-host \(written) or later, or restore a backup "
                + "made by \(running) or earlier (docs/OPERATIONS.md, \"Upgrade\")"
        }
    }
}
