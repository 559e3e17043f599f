import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import XinyuRPC
import XinyuWire

/// Serves the host's calls on a plugin's connection: one task per call, cancelled when the
/// caller cancels, the deadline passes or the connection drops. A method registered with
/// ``HandlerPlacement/eventLoop`` runs its task on the connection's event loop unless
/// ``loopBacklogLimit`` such calls already wait for it; the rest run on the global task pool.
final class PluginConnectionDelegate: RPCConnectionDelegate {
    private let dispatcher: ServiceDispatcher
    private let logger: Logger
    private let tasks = NIOLockedValueBox<[UInt32: Task<Void, Never>]>([:])
    /// One executor per event loop the plugin's connections live on (in practice one).
    private let loopExecutors = NIOLockedValueBox<[ObjectIdentifier: EventLoopTaskExecutor]>([:])
    /// Event-loop calls created but not yet started: the loop's backlog.
    private let loopBacklog = NIOLockedValueBox(0)

    /// How many event-loop calls may wait for the loop before further ones go to the task
    /// pool. One loop is one core: a lone call is served on it without a thread hop (latency),
    /// a burst spills over to the pool's threads (throughput on every core).
    static let loopBacklogLimit = 4
    let closed: @Sendable (String) -> Void

    init(dispatcher: ServiceDispatcher, logger: Logger, closed: @escaping @Sendable (String) -> Void) {
        self.dispatcher = dispatcher
        self.logger = logger
        self.closed = closed
    }

    func callStarted(_ call: InboundCall) {
        let dispatcher = self.dispatcher
        let tasks = self.tasks
        let connection = call.connection
        let id = call.streamID
        let principal = Principal(wire: call.start.caller)
        let deadline = call.deadline.map { d -> ContinuousClock.Instant in
            let remaining = d - .now()
            return ContinuousClock.now.advanced(by: .nanoseconds(remaining.nanoseconds))
        }
        let onLoop = dispatcher.registry.methods[call.method]?.placement == .eventLoop && loopBacklog.withLockedValue { backlog in
            guard backlog < Self.loopBacklogLimit else { return false }
            backlog += 1
            return true
        }
        let loopBacklog = self.loopBacklog
        let serve: @Sendable () async -> Void = {
            if onLoop { loopBacklog.withLockedValue { $0 -= 1 } }
            let status = await dispatcher.dispatch(
                method: call.method, request: call.payload, start: call.start, principal: principal,
                deadline: deadline, send: { connection.send($0, on: id) })
            connection.end(id, status: status)
            _ = tasks.withLockedValue { $0.removeValue(forKey: id) }
        }
        let executor: EventLoopTaskExecutor? = onLoop ? loopExecutor(for: connection.eventLoop) : nil
        tasks.withLockedValue { running in
            // The task is registered under the lock before it can finish and remove itself:
            // on the loop executor it starts no earlier than the end of this tick.
            running[id] = Task(executorPreference: executor) { await serve() }
        }
    }

    private func loopExecutor(for loop: EventLoop) -> EventLoopTaskExecutor {
        loopExecutors.withLockedValue { executors in
            if let known = executors[ObjectIdentifier(loop)] { return known }
            let created = EventLoopTaskExecutor(loop)
            executors[ObjectIdentifier(loop)] = created
            return created
        }
    }

    func callAbandoned(streamID: UInt32, on connection: RPCConnection, because status: CallStatus) {
        tasks.withLockedValue { $0.removeValue(forKey: streamID) }?.cancel()
    }

    func connectionClosed(_ connection: RPCConnection, reason: String) {
        closed(reason)
    }

    var inFlight: Int { tasks.withLockedValue { $0.count } }
}
