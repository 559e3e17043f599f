import XinyuDomainKit
import Foundation
import GRDB
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SwiftProtobuf
import XinyuRPC
import XinyuStore
import XinyuWire

/// Everything a handler knows about the call it serves and may use to serve it.
public final class CallContext: Sendable {
    /// Who is calling, with their permissions and data scopes.
    public let principal: Principal
    /// "package.Service/Method".
    public let method: String
    /// When the caller stops waiting; nil for no deadline. The SDK cancels the handler's task then.
    public let deadline: ContinuousClock.Instant?
    /// The caller's metadata (first value per key).
    public let metadata: [String: String]
    /// The idempotency key of a mutating call, if the caller sent one.
    public let idempotencyKey: String?
    /// The shared database, as this call sees it.
    public let store: CallStore
    /// A logger tagged with the plugin and method. Never log personal data through it.
    public let logger: Logger
    /// The plugin (or "host") serving the call: the publisher of its events.
    public let owner: String

    private let caller: MethodCaller
    private let clock: any WallClock
    /// The city's calendar (`city.time_zone`), for ``today``.
    public let calendar: CityCalendar
    private let subjectIDs = NIOLockedValueBox<[String]>([])
    private let auditNotes = NIOLockedValueBox<[String]>([])

    init(
        principal: Principal, method: String, deadline: ContinuousClock.Instant?, metadata: [String: String],
        idempotencyKey: String?, store: CallStore, logger: Logger, owner: String, caller: MethodCaller,
        clock: any WallClock = SystemClock(), calendar: CityCalendar = .shanghai
    ) {
        self.clock = clock
        self.calendar = calendar
        self.principal = principal
        self.method = method
        self.deadline = deadline
        self.metadata = metadata
        self.idempotencyKey = idempotencyKey
        self.store = store
        self.logger = logger
        self.owner = owner
        self.caller = caller
    }

    /// The current time from the dispatcher's clock: use it instead of `Date()` so tests can
    /// control time (e.g. assignment deadlines, review due dates).
    public var now: Date { clock.now() }

    /// ``now`` in whole milliseconds since 1970 (UTC), as stored in `*_at_ms` columns.
    public var nowMs: Int64 { Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Today in the city (``now`` on the city's calendar, `city.time_zone`), e.g. for review
    /// dates: at 23:30 UTC it is already tomorrow in Ningbo.
    public var today: CalendarDay { calendar.day(of: clock.now()) }

    /// Time left before the deadline; nil for no deadline.
    public var timeRemaining: Duration? { deadline.map { $0 - .now } }

    /// Throws CANCELLED when the caller went away or the deadline passed: check in long loops.
    public func checkCancellation() throws {
        if Task.isCancelled { throw RPCError(.cancelled, "the call was cancelled or its deadline passed") }
    }

    /// Throws PERMISSION_DENIED naming the permission when the caller lacks it. For checks
    /// beyond the one the host already made from the manifest (e.g. reading restricted notes).
    public func require(_ permission: String) throws {
        guard principal.has(permission) else {
            throw RPCError(.permissionDenied, "\(method) needs permission '\(permission)', which \(principal.id) does not have")
        }
    }

    /// Records an event in the outbox inside the caller's write transaction, so it is delivered
    /// if and only if the change commits.
    @discardableResult
    public func publish<E: SwiftProtobuf.Message>(_ topic: String, _ event: E, in db: Database) throws -> Int64 {
        let bytes: [UInt8] = try event.serializedBytes()
        return try Outbox.append(db, topic: topic, publisher: owner, actorID: principal.id, payload: bytes)
    }

    /// Reports the students (or other data subjects) this call read or changed, for the audit trail.
    public func touched(subjects ids: [String]) {
        subjectIDs.withLockedValue { $0.append(contentsOf: ids) }
    }

    /// Adds a short note to this call's audit entry, e.g. "scope violation". Never personal data.
    public func noteForAudit(_ note: String) {
        auditNotes.withLockedValue { $0.append(note) }
    }

    /// The audit notes recorded so far.
    public var auditNotesRecorded: [String] { auditNotes.withLockedValue { $0 } }

    /// The subjects reported so far.
    public var touchedSubjects: [String] { subjectIDs.withLockedValue { $0 } }

    /// Calls another service's unary method through the host, as this plugin.
    /// The remaining deadline of this call travels with it. For a mutating method, pass an
    /// `idempotencyKey` derived from your own record (e.g. "visit-12-concern"): a retry after a
    /// lost answer then gets the callee's first answer instead of changing data twice.
    public func call<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: String, _ request: Request, as response: Response.Type, timeout: Duration? = nil, idempotencyKey: String? = nil
    ) async throws -> Response {
        var options = CallOptions()
        options.idempotencyKey = idempotencyKey
        options.timeout = [timeout, timeRemaining].compactMap { $0 }.min()
        options.metadata = [("xinyu-on-behalf-of", principal.id)]
        let bytes = try await caller.unary(method: method, request: try ProtobufCoding.encode(request), options: options)
        do {
            return try Response(serializedBytes: Array(bytes.readableBytesView))
        } catch {
            throw RPCError(.internal, "\(method) answered with bytes that are not a \(Response.protoMessageName)")
        }
    }
}
