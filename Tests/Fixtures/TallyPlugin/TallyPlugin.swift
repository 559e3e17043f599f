import Foundation
import GRDB
import XinyuFixtureAPI
import XinyuPluginSDK

/// A test plugin that subscribes to the probe's events and counts them, to prove outbox
/// delivery: at least once, backlog after a restart, duplicates skipped.
struct TallyPlugin: XinyuPlugin {
    let name = "tally"
    let version = "1.0.0"

    var migrations: [NamedMigration] {
        [NamedMigration("v1-create-seen") { db in
            try db.execute(sql: "CREATE TABLE tally_seen (event_id INTEGER PRIMARY KEY, visit_id INTEGER NOT NULL)")
        }]
    }

    func register(_ registry: inout ServiceRegistry) {
        registry.subscribe("probe.visit.recorded", as: Xinyu_Fixture_V1_VisitRecorded.self) { event, info, context in
            try await context.store.write { db in
                try db.execute(sql: "INSERT INTO tally_seen (event_id, visit_id) VALUES (?, ?)", arguments: [info.eventID, event.visitID])
            }
        }
        registry.service("xinyu.fixture.v1.Tally") { s in
            s.unary("Totals", permission: "") { (_: Xinyu_Fixture_V1_TotalsRequest, context) in
                var reply = Xinyu_Fixture_V1_TotalsReply()
                let ids = try await context.store.read { db in try Int64.fetchAll(db, sql: "SELECT visit_id FROM tally_seen ORDER BY event_id") }
                reply.eventsSeen = Int64(ids.count)
                reply.visitIds = ids
                reply.caller = context.principal.id
                return reply
            }
            // Says who called and with what deadline, or fails as asked: the far end of the
            // plugin-to-plugin call tests (Probe/CallTally).
            s.unary("Inspect", permission: "tally.inspect") { (request: Xinyu_Fixture_V1_InspectRequest, context) in
                if request.failCode != 0 {
                    throw RPCError(StatusCode(rawValue: UInt32(request.failCode)), request.failMessage)
                }
                if !request.requirePermission.isEmpty { try context.require(request.requirePermission) }
                var reply = Xinyu_Fixture_V1_InspectReply()
                reply.caller = context.principal.id
                reply.callerKind = context.principal.kind.rawValue
                reply.deadlineRemainingMs = context.timeRemaining.map { Int64($0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000) } ?? -1
                reply.onBehalfOf = context.metadata["xinyu-on-behalf-of"] ?? ""
                return reply
            }
        }
    }
}

@main
enum TallyMain {
    static func main() async {
        await PluginRuntime.run(TallyPlugin())
    }
}
