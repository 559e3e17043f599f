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
    /// Work in progress per (connection, stream), so a cancel or deadline can stop it.
    private let inFlight = NIOLockedValueBox<[CallKey: InFlight]>([:])

    struct CallKey: Hashable {
        let connection: ObjectIdentifier
        let stream: UInt32
    }

    enum InFlight {
        case forwarded(OutboundCallHandle)
        case local(Task<Void, Never>)
    }

    init(table: RoutingTable, hostDispatcher: ServiceDispatcher, logger: Logger, audit: @escaping CallAuditSink) {
        self.table = table
        self.hostDispatcher = hostDispatcher
        self.logger = logger
        self.audit = audit
    }

    var inFlightCount: Int { inFlight.withLockedValue { $0.count } }

    /// Serves one inbound call made by `principal`, arriving from `source` (for the audit trail).
    func route(_ call: InboundCall, principal: Principal, source: String) {
        guard let route = table.route(call.method) else {
            if let plugin = table.disabledPlugin(for: call.method) {
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
            runLocally(call, principal: principal, source: source)
        case .plugin(let name, let descriptor):
            guard principal.has(descriptor.permission) else {
                return deny(call, permission: descriptor.permission, principal: principal, source: source)
            }
            forward(call, to: name, principal: principal, source: source)
        }
    }

    /// Records a refused handshake in the audit trail (the reason names at most a token's public id).
    func auditAuthenticationFailure(source: String, reason: String) {
        audit(CallAudit(authenticationFailureFrom: source, reason: reason))
    }

    /// Answers a call without serving it, and audits the refusal.
    func refuse(_ call: InboundCall, principal: Principal?, source: String, status: CallStatus) {
        audit(CallAudit(principal: principal, source: source, call: call, status: status))
        call.connection.end(call.streamID, status: status)
    }

    private func deny(_ call: InboundCall, permission: String, principal: Principal, source: String) {
        let status = CallStatus(code: .permissionDenied, message: "\(call.method) needs permission '\(permission)', which \(principal.id) does not have")
        var record = CallAudit(principal: principal, source: source, call: call, status: status)
        record.detail = "missing permission \(permission)"
        audit(record)
        call.connection.end(call.streamID, status: status)
    }

    private func forward(_ call: InboundCall, to plugin: String, principal: Principal, source: String) {
        let clientConnection = call.connection
        let id = call.streamID
        guard let record = table.record(plugin), record.state == .ready, let pluginConnection = record.connection else {
            let record = table.record(plugin)
            let message: String
            switch record?.state {
            case .failed?: message = "plugin '\(plugin)' has failed (\(record?.lastError ?? "")) and is not being restarted; see the host log"
            case .stopped?: message = "plugin '\(plugin)' is stopped because the host is shutting down"
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
        let handle = pluginConnection.startCall(start, payload: call.payload) { event in
            switch event {
            case .message(let bytes):
                clientConnection.send(bytes, on: id)
            case .end(var status):
                inFlight.withLockedValue { _ = $0.removeValue(forKey: key) }
                if status.code == .unavailable && !pluginConnection.channel.isActive {
                    status.message = "plugin '\(plugin)' stopped while serving \(method) (\(status.message)); it is being restarted, retry"
                }
                audit(CallAudit(principal: principal, source: source, call: call, status: status))
                // Audit trailers are for the host; they never reach the client.
                status.trailers.removeAll { AuditTrailer.isAuditTrailer($0.key) }
                clientConnection.end(id, status: status)
            }
        }
        inFlight.withLockedValue { $0[key] = .forwarded(handle) }
    }

    private func runLocally(_ call: InboundCall, principal: Principal, source: String) {
        let connection = call.connection
        let id = call.streamID
        let key = CallKey(connection: ObjectIdentifier(connection), stream: id)
        let dispatcher = hostDispatcher
        let inFlight = self.inFlight
        let audit = self.audit
        let deadline = call.deadline.map { ContinuousClock.now.advanced(by: .nanoseconds(($0 - .now()).nanoseconds)) }
        inFlight.withLockedValue { running in
            running[key] = .local(Task {
                var status = await dispatcher.dispatch(
                    method: call.method, request: call.payload, start: call.start, principal: principal,
                    deadline: deadline, send: { connection.send($0, on: id) })
                audit(CallAudit(principal: principal, source: source, call: call, status: status))
                status.trailers.removeAll { AuditTrailer.isAuditTrailer($0.key) }
                connection.end(id, status: status)
                _ = inFlight.withLockedValue { $0.removeValue(forKey: key) }
            })
        }
    }

    /// The caller cancelled, its deadline passed or its connection dropped: stop the work.
    func abandon(connection: RPCConnection, stream: UInt32, because status: CallStatus) {
        let key = CallKey(connection: ObjectIdentifier(connection), stream: stream)
        switch inFlight.withLockedValue({ $0.removeValue(forKey: key) }) {
        case .forwarded(let handle)?: handle.cancel(reason: status.message)
        case .local(let task)?: task.cancel()
        case nil: break
        }
    }
}
