import Foundation

/// A value guarded by a lock, for state touched from synchronous, non-isolated code.
///
/// Not `Mutex` from Synchronization: that needs macOS 15 and the package supports macOS 14.
/// Not NIO's lock box: this target must not depend on NIO.
final class LockedState<State: Sendable>: @unchecked Sendable {
    // @unchecked is safe: `state` is private and only read or written inside `withLock`, which holds
    // `lock` for the whole access, so no two threads ever touch it at once; `State: Sendable`
    // makes the values that go in and come out safe to hand across threads.
    private let lock = NSLock()
    private var state: State

    init(_ state: State) {
        self.state = state
    }

    /// Runs `body` with exclusive access to the state. `body` must not block or call back into this box.
    func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }
}
