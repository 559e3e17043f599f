import Foundation
import SwiftProtobuf
import XinyuWire

extension ServiceRegistry {
    /// Registers the handler of timers scheduled with `topic` (``CallContext/schedule(at:topic:payload:key:in:)-(_,_,P,_,_)``),
    /// their payload a protobuf message.
    ///
    /// The handler runs once per timer, at or after its time, as the principal `plugin:<name>`
    /// (every permission, city scope). Its writes (`context.store.write`) and the timer's
    /// "fired" mark commit in one transaction: a crash never fires it twice with effect and
    /// never loses it. A handler that throws is retried with backoff (``TimerRetry``); the
    /// failure is logged by topic and error type only.
    public mutating func onTimer<P: SwiftProtobuf.Message>(
        _ topic: String, as type: P.Type, handler: @escaping @Sendable (P, TimerInfo, CallContext) async throws -> Void
    ) {
        addTimerHandler(topic) { bytes, info, context in
            let payload: P
            do {
                payload = try P(serializedBytes: bytes)
            } catch {
                throw RPCError(.internal, "timer \(info.key) on \(topic): payload is not a valid \(P.protoMessageName)")
            }
            try await handler(payload, info, context)
        }
    }

    /// Like ``onTimer(_:as:handler:)-(_,P.Type,_)``, for a `Codable` payload (stored as JSON):
    /// a small struct of ids is often all a timer needs.
    public mutating func onTimer<P: Decodable & Sendable>(
        _ topic: String, as type: P.Type, handler: @escaping @Sendable (P, TimerInfo, CallContext) async throws -> Void
    ) {
        addTimerHandler(topic) { bytes, info, context in
            let payload: P
            do {
                payload = try JSONDecoder().decode(P.self, from: Data(bytes))
            } catch {
                throw RPCError(.internal, "timer \(info.key) on \(topic): payload is not a valid \(P.self)")
            }
            try await handler(payload, info, context)
        }
    }

    /// Registers work to run once each time the plugin starts, before its timer loop: e.g.
    /// scheduling timers for records an older version wrote without them. Tasks run in
    /// registration order as `plugin:<name>`; a failing one is logged and the others still run.
    /// It must be safe to run again (every start runs it).
    public mutating func atStart(_ name: String, handler: @escaping @Sendable (CallContext) async throws -> Void) {
        precondition(!startTasks.contains { $0.name == name }, "start task \(name) registered twice")
        startTasks.append(StartTask(name: name, run: handler))
    }

    private mutating func addTimerHandler(
        _ topic: String, _ invoke: @escaping @Sendable ([UInt8], TimerInfo, CallContext) async throws -> Void
    ) {
        precondition(!topic.isEmpty, "a timer topic cannot be empty")
        precondition(timerHandlers[topic] == nil, "timer topic \(topic) registered twice")
        timerHandlers[topic] = TimerHandler(topic: topic, invoke: invoke)
    }
}
