/// What the idempotency ledger knows about a key, and so what the handler must do.
public enum IdempotencyState: Sendable, Equatable {
    /// Never seen: run the call.
    case fresh
    /// Return this, change nothing.
    case answered(StoredAnswer)
    /// A previous attempt committed changes but crashed before its answer was stored: do not apply them
    /// again. (Also seen briefly by a retry racing an attempt that committed but has not yet recorded its
    /// answer; recording the answer in the same transaction as the changes closes that window.)
    case appliedButAnswerLost
    /// The same key was used earlier with a different request (digest differs): reject the call.
    case mismatched
}
