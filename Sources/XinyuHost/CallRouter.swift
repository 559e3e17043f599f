import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import XinyuPluginSDK
import XinyuRPC
import XinyuWire

/// Routes every call that reaches the host, from clients and from plugins alike.
///
/// It reads the envelope only: the request payload is forwarded to the plugin as the same
/// bytes, never decoded. Permission is checked against the serving method's manifest entry
/// before the plugin sees the call. Host services run in-process through the same SDK
/// dispatcher that plugins use.
final class CallRouter: Sendable {
    private let table: RoutingTable
    private let hostDispatcher: ServiceDispatcher
    private let logger: Logger
    private let audit: CallAuditSink
    /// Told how every call ended (who served it, whether the method mutates, its status), for
    /// the host's health: a plugin's calls timing out (or given up) make the hang detection look at it now
    /// (``PluginLivenessMonitor``), a write refused for a full disk is shown (``StorageCondition``).
    private let callEnded: CallEndObserver
    /// Work in progress per (connection, stream), so a cancel or deadline can stop it, and the
    /// shutdown drain waiting for it to end.
    private let inFlight = NIOLockedValueBox(InFlightCalls())
    /// Counts every call by method and status, with its latency (nil: not measured).
    private let metrics: HostMetrics?
    /// Calls per second per principal (nil: unlimited). Plugins are never limited.
    private let rateLimiter: PrincipalRateLimiter?
    /// Request bytes of the calls in flight on one connection, at most (``LimitSettings``).
    private let maxRequestBytesInFlight: Int

    struct CallKey: Hashable {
        let connection: ObjectIdentifier
        let stream: UInt32
    }

    enum InFlight {
        /// Sent to `plugin`; the handle is nil until `startCall` has returned it.
        case forwarded(plugin: String, OutboundCallHandle?)
        case local(Task<Void, Never>)
    }

    init(table: RoutingTable, hostDispatcher: ServiceDispatcher, logger: Logger, audit: @escaping CallAuditSink,
         callEnded: @escaping CallEndObserver = { _, _, _ in }, metrics: HostMetrics? = nil,
         rateLimiter: PrincipalRateLimiter? = nil, maxRequestBytesInFlight: Int = .max) {
        self.callEnded = callEnded
        self.metrics = metrics
        self.rateLimiter = rateLimiter
        self.maxRequestBytesInFlight = maxRequestBytesInFlight
        self.table = table
        self.hostDispatcher = hostDispatcher
        self.logger = logger
        self.audit = audit
    }

    var inFlightCount: Int { inFlight.withLockedValue { $0.calls.count } }

    /// Calls forwarded to `plugin` and not yet ended (`xinyu plugins`, and tests waiting for a
    /// call to reach a plugin).
    func inFlightCount(plugin: String) -> Int {
        inFlight.withLockedValue { state in
            state.calls.values.reduce(0) { count, call in
                if case .forwarded(plugin, _) = call { return count + 1 }
                return count
            }
        }
    }

    /// Waits until no call is in flight or `timeout` passes; true when every call ended.
    ///
    /// Wakes on the last call's end (a continuation), not on a poll.
    func drain(timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.untilIdle(); return true }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let drained = await group.next() ?? false
            group.cancelAll()
            return drained
        }
    }

    /// Returns once no call is in flight, or when the waiting task is cancelled.
    private func untilIdle() async {
        let waiter = inFlight.withLockedValue { $0.nextWaiterID() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = inFlight.withLockedValue { state -> Bool in
                    if state.calls.isEmpty || Task.isCancelled { return true }
                    state.idleWaiters[waiter] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            inFlight.withLockedValue { $0.idleWaiters.removeValue(forKey: waiter) }?.resume()
        }
    }

    /// Serves one inbound call made by `principal`, arriving from `source` (for the audit trail).
    func route(_ call: InboundCall, principal: Principal, source: String) {
        if principal.kind != .plugin, let limiter = rateLimiter, let wait = limiter.take(principal.id) {
            let refusal = limiter.refusal(for: principal.id, wait: wait)
            metrics?.rateLimited()
            var retry = Xinyu_Wire_V1_MetadataEntry()
            retry.key = Self.retryAfterTrailer
            retry.value = "\(refusal.retryAfterMs)"
            return refuse(call, principal: principal, source: source, status: CallStatus(code: .resourceExhausted, message: refusal.message, trailers: [retry]))
        }
        let connectionBytes = inFlight.withLockedValue { $0.bytes(on: ObjectIdentifier(call.connection)) }
        if connectionBytes > 0 && connectionBytes + call.payload.readableBytes > maxRequestBytesInFlight {
            metrics?.requestBytesRefused()
            return refuse(call, principal: principal, source: source, status: CallStatus(
                code: .resourceExhausted,
                message: "too many request bytes in flight on this connection (\(connectionBytes) bytes in calls not yet answered, this call \(call.payload.readableBytes), limit \(maxRequestBytesInFlight)); wait for some calls to finish"))
        }
        guard let route = table.route(call.method) else {
            if let plugin = table.startingPlugin(for: call.method) {
                refuse(call, principal: principal, source: source, status: CallStatus(code: .unavailable, message: "plugin '\(plugin)' is starting; retry in 1.0 s"))
            } else if let plugin = table.disabledPlugin(for: call.method) {
                refuse(call, principal: principal, source: source, status: CallStatus(code: .failedPrecondition, message: "plugin '\(plugin)' is not enabled in this deployment, so \(call.method) is unavailable; an administrator can enable it (xinyu admin plugins enable \(plugin), or plugins.enabled in the host configuration)"))
            } else {
                refuse(call, principal: principal, source: source, status: CallStatus(code: .unimplemented, message: "no method \(call.method) on this host; `xinyu methods` lists the methods it serves"))
            }
            return
        }
        switch route {
        case .host(let handler):
            guard principal.has(handler.descriptor.permission) else {
                return deny(call, permission: handler.descriptor.permission, principal: principal, source: source)
            }
            runLocally(call, mutates: handler.descriptor.mutates, principal: principal, source: source)
        case .plugin(let name, let descriptor):
            guard principal.has(descriptor.permission) else {
                return deny(call, permission: descriptor.permission, principal: principal, source: source)
            }
            forward(call, to: name, descriptor: descriptor, principal: principal, source: source)
        }
    }

    /// Records a refused handshake in the audit trail (the reason names at most a token's public id).
    func auditAuthenticationFailure(source: String, reason: String) {
        audit(CallAudit(authenticationFailureFrom: source, reason: reason))
    }

    /// Answers a call without serving it, and audits the refusal.
    func refuse(_ call: InboundCall, principal: Principal?, source: String, status: CallStatus) {
        audit(CallAudit(principal: principal, source: source, call: call, status: status))
        measure(call, status, known: table.route(call.method) != nil)
        call.connection.end(call.streamID, status: status)
    }

    private func deny(_ call: InboundCall, permission: String, principal: Principal, source: String) {
        let status = CallStatus(code: .permissionDenied, message: "\(call.method) needs permission '\(permission)', which \(principal.id) does not have")
        var record = CallAudit(principal: principal, source: source, call: call, status: status)
        record.detail = "missing permission \(permission)"
        audit(record)
        measure(call, status, known: true)
        call.connection.end(call.streamID, status: status)
    }

    private func forward(_ call: InboundCall, to plugin: String, descriptor: Xinyu_Wire_V1_MethodDescriptor, principal: Principal, source: String) {
        let clientConnection = call.connection
        let id = call.streamID
        guard let record = table.record(plugin), record.state == .ready, let pluginConnection = record.connection else {
            let record = table.record(plugin)
            let message: String
            switch record?.state {
            case .failed?: message = "plugin '\(plugin)' has failed (\(record?.lastError ?? "")) and is not being restarted; see the host log"
            case .stopped?: message = "plugin '\(plugin)' is stopped because the host is shutting down"
            case .starting?: message = "plugin '\(plugin)' is starting; retry in 1.0 s"
            case .degraded?:
                let silent = record?.unresponsiveSince.map { String(format: "%.1f", max(0, -$0.timeIntervalSinceNow)) } ?? "?"
                message = "plugin '\(plugin)' is not answering (unresponsive for \(silent) s); the host restarts it if it stays so; retry in 1.0 s"
            default:
                let wait = record?.nextStart.map { max(0, $0.timeIntervalSinceNow) } ?? 1
                message = "plugin '\(plugin)' is restarting; retry in \(String(format: "%.1f", max(wait, 0.5))) s"
            }
            refuse(call, principal: principal, source: source, status: CallStatus(code: .unavailable, message: message))
            return
        }
        var start = Xinyu_Wire_V1_CallStart()
        start.method = call.start.method
        start.idempotencyKey = call.start.idempotencyKey
        // Reserved metadata from outside is dropped; only the host and plugins may set it.
        start.metadata = call.start.metadata.filter { !$0.key.hasPrefix("xinyu-") || principal.kind == .plugin }
        start.caller = principal.wire
        if let deadline = call.deadline {
            let remaining = (deadline - .now()).nanoseconds / 1000
            guard remaining > 0 else {
                refuse(call, principal: principal, source: source, status: CallStatus(code: .deadlineExceeded, message: "deadline passed before \(call.method) could be forwarded"))
                return
            }
            start.timeoutMicros = UInt64(remaining)
        }
        let key = CallKey(connection: ObjectIdentifier(clientConnection), stream: id)
        let inFlight = self.inFlight
        let method = call.method
        let audit = self.audit
        let callEnded = self.callEnded
        let metrics = self.metrics
        // Recorded before the call starts: `startCall` may end it at once (the plugin's
        // connection just closed), and an entry added after that end would never be removed,
        // holding the shutdown drain for its whole timeout.
        let size = call.payload.readableBytes
        inFlight.withLockedValue { $0.calls[key] = .forwarded(plugin: plugin, nil); $0.charge(key, bytes: size) }
        let handle = pluginConnection.startCall(start, payload: call.payload) { event in
            switch event {
            case .message(let bytes):
                clientConnection.send(bytes, on: id)
            case .end(var status):
                if status.code == .unavailable && !pluginConnection.channel.isActive {
                    status.message = "plugin '\(plugin)' stopped while serving \(method) (\(status.message)); it is being restarted, retry"
                }
                audit(CallAudit(principal: principal, source: source, call: call, status: status))
                callEnded(plugin, descriptor.mutates, status)
                Self.measure(metrics, call, status, known: true)
                // Audit trailers are for the host; they never reach the client.
                status.trailers.removeAll { AuditTrailer.isAuditTrailer($0.key) }
                clientConnection.end(id, status: status)
                // Only now: a drain woken by this end closes the client's connection next, and
                // that close must queue behind the answer.
                inFlight.withLockedValue { $0.remove(key) }?.resume()
            }
        }
        let abandoned = inFlight.withLockedValue { state -> Bool in
            guard case .forwarded? = state.calls[key] else { return true }
            state.calls[key] = .forwarded(plugin: plugin, handle)
            return false
        }
        // Gone already: it ended (then cancelling does nothing), or the caller gave up while it
        // was being started, before abandon(...) had a handle to cancel.
        if abandoned { handle.cancel(reason: "cancelled by the caller") }
    }

    private func runLocally(_ call: InboundCall, mutates: Bool, principal: Principal, source: String) {
        let connection = call.connection
        let id = call.streamID
        let key = CallKey(connection: ObjectIdentifier(connection), stream: id)
        let dispatcher = hostDispatcher
        let inFlight = self.inFlight
        let audit = self.audit
        let callEnded = self.callEnded
        let metrics = self.metrics
        let deadline = call.deadline.map { ContinuousClock.now.advanced(by: .nanoseconds(($0 - .now()).nanoseconds)) }
        // Owned by the router: recorded here, cancelled by abandon(...), awaited by drain(timeout:).
        let size = call.payload.readableBytes
        inFlight.withLockedValue { running in
            running.charge(key, bytes: size)
            running.calls[key] = .local(Task {
                var status = await dispatcher.dispatch(
                    method: call.method, request: call.payload, start: call.start, principal: principal,
                    deadline: deadline, send: { connection.send($0, on: id) })
                audit(CallAudit(principal: principal, source: source, call: call, status: status))
                callEnded("host", mutates, status)
                Self.measure(metrics, call, status, known: true)
                status.trailers.removeAll { AuditTrailer.isAuditTrailer($0.key) }
                connection.end(id, status: status)
                inFlight.withLockedValue { $0.remove(key) }?.resume()
            })
        }
    }

    private func measure(_ call: InboundCall, _ status: CallStatus, known: Bool) {
        Self.measure(metrics, call, status, known: known)
    }

    /// Counts a call that ended. A method no one serves is counted as "other": its name comes
    /// from the caller, and a label per made-up name would grow the metrics without bound.
    private static func measure(_ metrics: HostMetrics?, _ call: InboundCall, _ status: CallStatus, known: Bool) {
        guard let metrics else { return }
        let elapsed = NIODeadline.now() - call.receivedAt
        metrics.callEnded(method: known ? call.method : "other", code: status.code, duration: .nanoseconds(elapsed.nanoseconds))
    }

    /// The caller cancelled, its deadline passed or its connection dropped: stop the work.
    func abandon(connection: RPCConnection, stream: UInt32, because status: CallStatus) {
        let key = CallKey(connection: ObjectIdentifier(connection), stream: stream)
        let (call, idle) = inFlight.withLockedValue { state in
            let call = state.calls[key]
            return (call, state.remove(key))
        }
        idle?.resume()
        switch call {
        case .forwarded(_, let handle?)?: handle.cancel(reason: status.message)
        case .forwarded(_, nil)?: break  // forward(...) cancels it once startCall returns
        case .local(let task)?: task.cancel()
        case nil: break
        }
    }
}

extension CallRouter {
    /// The trailer of a call refused by the rate limit: milliseconds until a call would be let in.
    static let retryAfterTrailer = "xinyu-retry-after-ms"
}

/// Hears how a routed call ended: who served it ("host" or the plugin's name), whether its
/// method mutates, and its final status (trailers included).
typealias CallEndObserver = @Sendable (_ servedBy: String, _ mutates: Bool, _ status: CallStatus) -> Void

/// The router's calls in flight and the drains waiting for them to end.
struct InFlightCalls {
    var calls: [CallRouter.CallKey: CallRouter.InFlight] = [:]
    var idleWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var lastWaiterID = 0
    /// Request bytes of each call in flight, and their sum per connection.
    private var requestBytes: [CallRouter.CallKey: Int] = [:]
    private var connectionBytes: [ObjectIdentifier: Int] = [:]

    /// Request bytes of the calls in flight on `connection`.
    func bytes(on connection: ObjectIdentifier) -> Int { connectionBytes[connection] ?? 0 }

    /// Counts a call's request bytes against its connection until ``remove(_:)``.
    mutating func charge(_ key: CallRouter.CallKey, bytes: Int) {
        requestBytes[key] = bytes
        connectionBytes[key.connection, default: 0] += bytes
    }

    mutating func nextWaiterID() -> Int {
        lastWaiterID += 1
        return lastWaiterID
    }

    /// Forgets a call; when it was the last, returns the waiters to resume (outside the lock).
    mutating func remove(_ key: CallRouter.CallKey) -> IdleWaiters? {
        if let bytes = requestBytes.removeValue(forKey: key) {
            let left = (connectionBytes[key.connection] ?? 0) - bytes
            connectionBytes[key.connection] = left > 0 ? left : nil
        }
        guard calls.removeValue(forKey: key) != nil, calls.isEmpty, !idleWaiters.isEmpty else { return nil }
        defer { idleWaiters.removeAll() }
        return IdleWaiters(continuations: Array(idleWaiters.values))
    }
}

/// Continuations of drains whose wait is over.
struct IdleWaiters {
    let continuations: [CheckedContinuation<Void, Never>]
    func resume() { for continuation in continuations { continuation.resume() } }
}
