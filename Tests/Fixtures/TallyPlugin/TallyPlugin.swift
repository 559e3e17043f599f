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
        }
    }
}

@main
enum TallyMain {
    static func main() async {
        await PluginRuntime.run(TallyPlugin())
    }
}
