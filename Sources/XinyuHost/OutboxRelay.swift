import Foundation
import Logging
import NIOCore
import XinyuPluginSDK
import XinyuRPC
import XinyuStore
import XinyuWire

/// Delivers outbox events to every subscribing plugin, at least once, in order.
///
/// Each subscriber has a cursor in the database: the last event it acknowledged. A subscriber
/// that was down gets its whole backlog when it comes back; a failed delivery is retried on
/// the next round. Subscribers skip duplicates by event id (the SDK's inbox).
struct OutboxRelay: Sendable {
    let database: SharedDatabase
    let table: RoutingTable
    let logger: Logger
    let pollInterval: Duration

    /// Delivers every `pollInterval` until the task is cancelled.
    func deliverUntilCancelled() async {
        while !Task.isCancelled {
            for subscriber in table.readySubscribers() {
                await deliverBacklog(to: subscriber.name, topics: subscriber.topics, over: subscriber.connection)
            }
            try? await Task.sleep(for: pollInterval)
        }
    }

    private func deliverBacklog(to subscriber: String, topics: [String], over connection: RPCConnection) async {
        while !Task.isCancelled {
            let events: [OutboxEvent]
            do {
                events = try await database.read { db in try Outbox.pending(db, subscriber: subscriber, topics: topics, limit: 100) }
            } catch {
                logger.error("cannot read the outbox", metadata: ["error": "\(type(of: error))"])
                return
            }
            if events.isEmpty { return }
            for event in events {
                var delivery = Xinyu_Plugin_V1_EventDelivery()
                delivery.eventID = event.id
                delivery.topic = event.topic
                delivery.publisher = event.publisher
                delivery.recordedAtMs = event.recordedAtMs
                delivery.actorID = event.actorID
                delivery.payload = Data(event.payload)
                var start = CallOptions(timeout: .seconds(30)).callStart(method: ServiceDispatcher.deliverMethod)
                start.caller = Principal.host.wire
                do {
                    _ = try await connection.unary(start, payload: try ProtobufCoding.encode(delivery))
                    try await database.write { db in try Outbox.acknowledge(db, subscriber: subscriber, eventID: event.id) }
                } catch {
                    logger.warning("event delivery failed; will retry", metadata: ["subscriber": "\(subscriber)", "event_id": "\(event.id)", "topic": "\(event.topic)", "error": "\(error)"])
                    return
                }
            }
        }
    }
}
