/// Wakes every open `WatchReferrals` stream after a referral change commits in this process.
///
/// Only this plugin writes referrals, so a bell in its own process hears every change. Each
/// watcher holds an `AsyncStream` that keeps at most one pending ring: a ring between two reads
/// is never lost, and many rings make one re-read. A watcher that ended is dropped on the next ring.
actor ReferralChangeBell {
    private var listeners: [AsyncStream<Void>.Continuation] = []

    /// A stream that yields once after each ring (rings in between coalesce).
    func listen() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        listeners.append(continuation)
        return stream
    }

    /// Wakes every listener.
    func ring() {
        listeners.removeAll { continuation in
            if case .terminated = continuation.yield() { return true }
            return false
        }
    }
}
