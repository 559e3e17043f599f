import Foundation
import GRDB
import SwiftProtobuf
import XinyuStore
import XinyuWire

/// A timer that is scheduled and has not fired yet.
public struct PendingTimer: Sendable, Equatable {
    /// Its key.
    public let key: String
    /// Its topic.
    public let topic: String
    /// When it is due.
    public let dueAt: Date
    /// Failed attempts so far.
    public let failedAttempts: Int
}

extension CallContext {
    /// Schedules a durable timer inside the caller's write transaction: it exists if and only if
    /// the transaction commits, and fires once, at or after `date`, in the handler registered
    /// with ``ServiceRegistry/onTimer(_:as:handler:)-(_,P.Type,_)`` for `topic`.
    ///
    /// ```swift
    /// try await context.store.write { db in
    ///     // … insert the case …
    ///     try context.schedule(at: due, topic: "crisis.case.assignment-due", payload: CaseTimer(caseID: id),
    ///                          key: "case-\(id)-assignment", in: db)
    /// }
    /// ```
    ///
    /// - Parameter key: names the timer for ``cancelTimer(key:in:)`` and ``moveTimer(key:to:in:)``;
    ///   unique within this plugin. Scheduling a key again replaces its timer (pending or fired).
    ///   Without one, a fresh key is made up. Keys are logged: put ids in them, never names.
    /// - Returns: the key.
    @discardableResult
    public func schedule<P: SwiftProtobuf.Message>(at date: Date, topic: String, payload: P, key: String? = nil, in db: Database) throws -> String {
        try scheduleEncoded(at: date, topic: topic, payload: try payload.serializedBytes(), key: key, in: db)
    }

    /// Like ``schedule(at:topic:payload:key:in:)-(_,_,P,_,_)``, for a `Codable` payload (stored as JSON).
    @discardableResult
    public func schedule<P: Encodable>(at date: Date, topic: String, payload: P, key: String? = nil, in db: Database) throws -> String {
        try scheduleEncoded(at: date, topic: topic, payload: Array(try JSONEncoder().encode(payload)), key: key, in: db)
    }

    /// Cancels this plugin's pending timer `key` inside the caller's transaction (a rollback
    /// keeps it). Returns false when none was pending (never scheduled, fired or cancelled).
    @discardableResult
    public func cancelTimer(key: String, in db: Database) throws -> Bool {
        try DurableTimers.cancel(db, owner: owner, key: try Self.checkedTimerKey(key))
    }

    /// Moves this plugin's pending timer `key` to `date` inside the caller's transaction,
    /// payload unchanged. Returns false when none was pending: schedule it instead.
    @discardableResult
    public func moveTimer(key: String, to date: Date, in db: Database) throws -> Bool {
        let moved = try DurableTimers.move(db, owner: owner, key: try Self.checkedTimerKey(key), toDueAtMs: Self.milliseconds(date))
        if moved { store.timers.noteChanged() }
        return moved
    }

    /// This plugin's pending timer `key`, or nil when none is pending.
    public func pendingTimer(key: String, in db: Database) throws -> PendingTimer? {
        try DurableTimers.pending(db, owner: owner, key: try Self.checkedTimerKey(key)).map {
            PendingTimer(key: $0.key, topic: $0.topic, dueAt: Date(timeIntervalSince1970: Double($0.dueAtMs) / 1000), failedAttempts: $0.attempts)
        }
    }

    private func scheduleEncoded(at date: Date, topic: String, payload: [UInt8], key: String?, in db: Database) throws -> String {
        guard !topic.isEmpty else { throw RPCError(.invalidArgument, "timer topic: is required") }
        let key = try Self.checkedTimerKey(key ?? "\(topic)#\(UUID().uuidString.lowercased())")
        try DurableTimers.schedule(db, owner: owner, key: key, topic: topic, dueAtMs: Self.milliseconds(date), payload: payload, nowMs: nowMs)
        store.timers.noteChanged()
        return key
    }

    static func checkedTimerKey(_ key: String) throws -> String {
        guard !key.isEmpty else { throw RPCError(.invalidArgument, "timer key: is required") }
        guard key.utf8.count <= 200 else { throw RPCError(.invalidArgument, "timer key: longer than 200 bytes") }
        return key
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }
}
