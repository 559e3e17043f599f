import XinyuDomainKit
import Foundation
import GRDB
import Logging
import NIOConcurrencyHelpers
import NIOCore
import XinyuRPC
import XinyuStore
import XinyuWire

/// Runs calls against a ``ServiceRegistry``: decoding, permission check, idempotency, event
/// delivery and error mapping. The same code serves a plugin's socket and the host's own services.
public struct ServiceDispatcher: Sendable {
    /// The plugin name, or "host".
    public let owner: String
    public let registry: ServiceRegistry
    public let database: SharedDatabase
    let caller: MethodCaller
    let logger: Logger
    /// The clock handlers and jobs read through ``CallContext/now``.
    public let clock: any WallClock
    /// The city's calendar, for ``CallContext/today``.
    public let calendar: CityCalendar
    /// Wakes the timer loop when a call schedules a timer (ServiceDispatcher+Timers.swift).
    let timerSignal = TimerSignal()

    /// The method the host uses to deliver outbox events to a subscriber.
    public static let deliverMethod = "xinyu.plugin.v1.PluginControl/Deliver"

    /// Creates a dispatcher for one owner's registry.
    /// `clock` is the system clock except in tests, which pass a ``ManualClock``.
    public init(
        owner: String, registry: ServiceRegistry, database: SharedDatabase, caller: MethodCaller, logger: Logger,
        clock: any WallClock = SystemClock(), calendar: CityCalendar = .shanghai
    ) {
        self.clock = clock
        self.calendar = calendar
        self.owner = owner
        self.registry = registry
        self.database = database
        self.caller = caller
        self.logger = logger
    }

    /// Serves one call. Responses go to `send`; the returned status ends the call.
    /// Never throws: every failure becomes a status with a message a person can act on.
    public func dispatch(
        method: String, request: ByteBuffer, start: Xinyu_Wire_V1_CallStart, principal: Principal,
        deadline: ContinuousClock.Instant?, send: @escaping @Sendable (ByteBuffer) -> Void
    ) async -> CallStatus {
        if method == Self.deliverMethod {
            return await deliverEvent(request, principal: principal, send: send)
        }
        guard let handler = registry.methods[method] else {
            return CallStatus(code: .unimplemented, message: "\(owner) has no method \(method)")
        }
        guard principal.has(handler.descriptor.permission) else {
            return CallStatus(code: .permissionDenied, message: "\(method) needs permission '\(handler.descriptor.permission)', which \(principal.id) does not have")
        }
        // Every answer of this call leaves through the service's reply filter, if it has one:
        // fresh answers, replays of idempotent ones and answers committed before a failure alike.
        let reply: @Sendable (ByteBuffer) -> Void
        if let filter = handler.replyFilter {
            reply = { bytes in send(filter(bytes, principal)) }
        } else {
            reply = send
        }
        let key = start.idempotencyKey
        var idempotency: (scope: IdempotencyScope, digest: String)? = nil
        if handler.descriptor.mutates && !key.isEmpty {
            guard key.utf8.count <= 128 else {
                return CallStatus(code: .invalidArgument, message: "field idempotency_key: longer than 128 bytes")
            }
            let scope = IdempotencyScope(owner: owner, method: method, principalID: principal.id, key: key)
            let digest = IdempotencyLedger.digest(Array(request.readableBytesView))
            do {
                let state = try await database.read { db in try IdempotencyLedger.state(db, scope: scope, requestDigest: digest) }
                switch state {
                case .fresh: idempotency = (scope, digest)
                case .answered(let answer):
                    if answer.code == StatusCode.ok.rawValue { reply(ByteBuffer(bytes: answer.response)) }
                    return CallStatus(code: StatusCode(rawValue: answer.code), message: answer.message,
                                      trailers: [Self.entry("xinyu-idempotent-replay", "true")])
                case .appliedButAnswerLost:
                    return CallStatus(code: .aborted, message: "the first call with idempotency key '\(key)' changed data but its answer was lost in a crash; read the current state before retrying with a new key")
                case .mismatched:
                    return CallStatus(code: .failedPrecondition, message: "idempotency key '\(key)' was already used for a different request to \(method); use a new key")
                }
            } catch {
                return internalError(error, method: method)
            }
        }
        let store = CallStore(database: database, idempotency: idempotency, timers: CallTimers(signal: timerSignal),
                              answerType: handler.descriptor.serverStreaming ? nil : handler.responseType)
        let context = makeContext(principal: principal, method: method, start: start, deadline: deadline, store: store)
        // A streaming call's replay returns its final message (e.g. an import's report).
        let collected = ResponseCollector(forward: reply, keep: idempotency != nil, keepLast: handler.descriptor.serverStreaming)
        var status: CallStatus
        do {
            try await handler.invoke(request, context, ResponseSink { collected.add($0) })
            status = .ok
        } catch let error as RPCError {
            status = CallStatus(error)
            if let cause = error.cause {
                logger.notice("call failed", metadata: ["method": "\(method)", "code": "\(error.code)", "cause": "\(Self.safeDescription(cause))"])
            }
        } catch is CancellationError {
            status = CallStatus(code: .cancelled, message: "the call was cancelled or its deadline passed")
        } catch {
            status = internalError(error, method: method)
        }
        let answeredInWrite = store.answeredInWrite.withLockedValue { $0 }
        if let answer = answeredInWrite, status.code != .ok {
            // The change and its answer committed together before the handler failed (often
            // the deadline cancelling it after the commit). A retry replays that answer, so this
            // call gives the same one; the caller may already have stopped listening.
            logger.notice("a change and its answer committed before the handler failed; answering with the committed answer",
                          metadata: ["method": "\(method)", "code": "\(status.code)"])
            reply(ByteBuffer(bytes: answer))
            status = .ok
        }
        if !context.touchedSubjects.isEmpty {
            status.trailers.append(Self.entry(AuditTrailer.subjects, context.touchedSubjects.joined(separator: ",")))
        }
        if !context.auditNotesRecorded.isEmpty {
            status.trailers.append(Self.entry(AuditTrailer.note, context.auditNotesRecorded.joined(separator: "; ")))
        }
        if let idempotency, answeredInWrite == nil, status.code == .ok || store.wrote.withLockedValue({ $0 }) {
            let answer = StoredAnswer(code: status.code.rawValue, message: status.message, response: collected.keptResponse)
            do {
                // A group write runs once enqueued, whatever happens to this task: a deadline that
                // cancels the handler after its commit must not also cancel recording the answer.
                try await database.groupWrite { db in try IdempotencyLedger.recordAnswer(db, scope: idempotency.scope, requestDigest: idempotency.digest, answer: answer) }
            } catch {
                logger.error("could not store the answer of an idempotent call", metadata: ["method": "\(method)", "error": "\(type(of: error))"])
            }
        }
        return status
    }

    private func deliverEvent(_ request: ByteBuffer, principal: Principal, send: @escaping @Sendable (ByteBuffer) -> Void) async -> CallStatus {
        guard principal.id == Principal.host.id else {
            return CallStatus(code: .permissionDenied, message: "only the host delivers events")
        }
        do {
            let delivery = try ProtobufCoding.decode(Xinyu_Plugin_V1_EventDelivery.self, from: request)
            var ack = Xinyu_Plugin_V1_EventAck()
            guard let subscription = registry.subscriptions[delivery.topic] else {
                return CallStatus(code: .failedPrecondition, message: "\(owner) does not subscribe to \(delivery.topic)")
            }
            let seen = try await database.read { db in try EventInbox.hasHandled(db, subscriber: owner, eventID: delivery.eventID) }
            if seen {
                ack.duplicate = true
            } else {
                let store = CallStore(database: database, inbox: (owner, delivery.eventID), timers: CallTimers(signal: timerSignal))
                let actor = Principal(id: delivery.actorID, kind: .unknown)
                let context = makeContext(principal: actor, method: Self.deliverMethod, start: .init(), deadline: nil, store: store)
                let info = EventInfo(eventID: delivery.eventID, topic: delivery.topic, publisher: delivery.publisher, recordedAtMs: delivery.recordedAtMs, actorID: delivery.actorID)
                try await subscription.invoke(Array(delivery.payload), info, context)
                if !store.wrote.withLockedValue({ $0 }) {
                    // The handler wrote nothing of its own: record the event as handled alone.
                    let owner = self.owner
                    try await database.write { db in _ = try EventInbox.markHandled(db, subscriber: owner, eventID: delivery.eventID) }
                }
            }
            send(try ProtobufCoding.encode(ack))
            return .ok
        } catch let error as RPCError {
            return CallStatus(error)
        } catch {
            return internalError(error, method: Self.deliverMethod)
        }
    }

    func makeContext(principal: Principal, method: String, start: Xinyu_Wire_V1_CallStart, deadline: ContinuousClock.Instant?, store: CallStore) -> CallContext {
        var metadata: [String: String] = [:]
        for entry in start.metadata where metadata[entry.key] == nil { metadata[entry.key] = entry.value }
        var callLogger = logger
        callLogger[metadataKey: "method"] = "\(method)"
        return CallContext(
            principal: principal, method: method, deadline: deadline, metadata: metadata,
            idempotencyKey: start.idempotencyKey.isEmpty ? nil : start.idempotencyKey,
            store: store, logger: callLogger, owner: owner, caller: caller, clock: clock, calendar: calendar)
    }

    /// The principal periodic jobs run as: this plugin, every permission, city scope.
    public var jobPrincipal: Principal {
        Principal(id: "plugin:\(owner)", kind: .plugin, displayName: "xinyu-plugin-\(owner)", permissions: ["*"], scopes: [.city])
    }

    /// Runs one periodic job once, now: what the runtime's loop does each interval, and what
    /// tests call to trigger a job. Throws NOT_FOUND for an unknown job; the job's own errors
    /// are thrown as they are.
    public func runJob(_ name: String) async throws {
        guard let job = registry.jobs[name] else {
            throw RPCError(.notFound, "\(owner) has no job \(name)")
        }
        let store = CallStore(database: database, timers: CallTimers(signal: timerSignal))
        let context = makeContext(principal: jobPrincipal, method: "job:\(name)", start: .init(), deadline: nil, store: store)
        try await job.run(context)
    }

    /// Runs every registered job in its own loop until the task is cancelled. A failed run is
    /// logged by job name and error type only (errors can quote personal data) and retried
    /// after the next interval.
    public func runJobLoops() async {
        let jobs = registry.jobs.values.sorted { $0.name < $1.name }
        guard !jobs.isEmpty else { return }
        await withTaskGroup(of: Void.self) { group in
            for job in jobs {
                group.addTask {
                    while !Task.isCancelled {
                        do {
                            try await Task.sleep(for: job.interval)
                        } catch {
                            return
                        }
                        do {
                            try await runJob(job.name)
                        } catch {
                            logger.error("periodic job failed", metadata: ["job": "\(job.name)", "error": "\(Self.safeDescription(error))"])
                        }
                    }
                }
            }
        }
    }

    /// Logs the real error under a reference and tells the caller only the reference:
    /// database errors can quote SQL and values that must not leave the process.
    private func internalError(_ error: Error, method: String) -> CallStatus {
        if let full = Self.diskFull(error, databasePath: database.path) {
            logger.error("the database disk is full", metadata: ["method": "\(method)", "database": "\(database.path)"])
            return full
        }
        let reference = String(UUID().uuidString.prefix(8)).lowercased()
        logger.error("internal error", metadata: ["method": "\(method)", "ref": "\(reference)", "error": "\(Self.safeDescription(error))"])
        return CallStatus(code: .internal, message: "internal error in \(owner) while serving \(method) (reference \(reference) in the host log)")
    }

    /// RESOURCE_EXHAUSTED naming the database, when SQLite could not write because the disk (or
    /// the database's size limit) is full: nothing was changed, reads still work, and the same
    /// call succeeds once space is freed. Not INTERNAL, which tells clients not to retry.
    ///
    /// The answer carries the trailer ``storageFullTrailer`` (the database's path), by which the
    /// host tells a full disk from other RESOURCE_EXHAUSTED answers and shows it in its health.
    static func diskFull(_ error: Error, databasePath: String) -> CallStatus? {
        guard let db = error as? DatabaseError, db.resultCode.primaryResultCode == .SQLITE_FULL else { return nil }
        return CallStatus(code: .resourceExhausted, message: "the disk of the database \(databasePath) is full: nothing was changed; free space, then retry with the same idempotency key (reads still work)",
                          trailers: [entry(storageFullTrailer, databasePath)])
    }

    /// The trailer of an answer refused because the database's disk is full; its value is the
    /// database's path.
    public static let storageFullTrailer = "xinyu-storage-full"

    static func safeDescription(_ error: Error) -> String {
        if let db = error as? DatabaseError {
            // The result code and SQLite's message; never the statement's arguments.
            return "SQLite \(db.resultCode): \(db.message ?? "")"
        }
        return String(describing: type(of: error))
    }

    static func entry(_ key: String, _ value: String) -> Xinyu_Wire_V1_MetadataEntry {
        var e = Xinyu_Wire_V1_MetadataEntry()
        e.key = key
        e.value = value
        return e
    }
}

/// Forwards responses and keeps one for the idempotency ledger: the only one of a unary call,
/// the last one of a streaming call.
private final class ResponseCollector: Sendable {
    private let forward: @Sendable (ByteBuffer) -> Void
    private let keep: Bool
    private let keepLast: Bool
    private let kept = NIOLockedValueBox<[UInt8]?>(nil)

    init(forward: @escaping @Sendable (ByteBuffer) -> Void, keep: Bool, keepLast: Bool) {
        self.forward = forward
        self.keep = keep
        self.keepLast = keepLast
    }

    func add(_ bytes: ByteBuffer) {
        if keep {
            let keepLast = self.keepLast
            kept.withLockedValue { if $0 == nil || keepLast { $0 = Array(bytes.readableBytesView) } }
        }
        forward(bytes)
    }

    var keptResponse: [UInt8] { kept.withLockedValue { $0 } ?? [] }
}
