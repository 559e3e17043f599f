extension AuditLog {
    /// Recomputes the whole chain and reports the first place it breaks (`problem == nil`: intact).
    ///
    /// Detects an entry that was edited, deleted (from the start, middle or end) or moved, a forged
    /// retention anchor, and a forged or missing head record. Runs in one read transaction, so it sees
    /// one committed state while appends go on. It cannot detect a whole database replaced by an older
    /// copy of itself: for that, record `lastSequence` and the head somewhere else from time to time.
    public func verify() async throws -> AuditVerification {
        let verifier = AuditChainVerifier(chain: chain)
        return try await database.read { db in try verifier.verify(db) }
    }
}
