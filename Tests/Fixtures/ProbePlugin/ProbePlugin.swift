import Foundation
import GRDB
import XinyuFixtureAPI
import XinyuPluginSDK

/// A test plugin that exercises every SDK feature: unary and streaming calls, deadlines,
/// cancellation, a durable idempotent write that publishes an event, and calls to another plugin.
struct ProbePlugin: XinyuPlugin {
    let name = "probe"
    let version = "1.0.0"

    var migrations: [NamedMigration] {
        [
            NamedMigration("v1-create-visits") { db in
                try db.execute(sql: "CREATE TABLE probe_visits (id INTEGER PRIMARY KEY AUTOINCREMENT, student_id TEXT NOT NULL, note TEXT NOT NULL)")
            },
            NamedMigration("v2-create-shares") { db in
                try db.execute(sql: "CREATE TABLE probe_shares (id INTEGER PRIMARY KEY AUTOINCREMENT, student_id TEXT NOT NULL, agency_id TEXT NOT NULL, note TEXT NOT NULL)")
            },
            NamedMigration("v3-create-reminders") { db in
                try db.execute(sql: "CREATE TABLE probe_reminders (id INTEGER PRIMARY KEY AUTOINCREMENT, note TEXT NOT NULL)")
            },
        ]
    }

    /// Before it connects, the probe waits `XINYU_PROBE_START_DELAY_MS` (tests use it to hold a
    /// plugin in its "starting" state, as a slow migration would).
    func configured(with settings: PluginSettings) throws -> ProbePlugin {
        if let text = ProcessInfo.processInfo.environment["XINYU_PROBE_START_DELAY_MS"], let ms = UInt32(text) {
            usleep(ms * 1000)
        }
        return self
    }

    /// A reminder timer's payload.
    struct Reminder: Codable, Sendable {
        let note: String
    }

    func register(_ registry: inout ServiceRegistry) {
        registry.publishes("probe.visit.recorded")
        registry.onTimer("probe.remind", as: Reminder.self) { reminder, _, context in
            try await context.store.write { db in
                try db.execute(sql: "INSERT INTO probe_reminders (note) VALUES (?)", arguments: [reminder.note])
            }
        }
        registry.service("xinyu.fixture.v1.Probe") { s in
            s.unary("Share", permission: "probe.write", mutates: true) { (request: Xinyu_Fixture_V1_ShareRequest, context) in
                context.touched(subjects: [request.studentID])
                var reply = Xinyu_Fixture_V1_ShareReply()
                reply.shareID = try await context.store.write { db in
                    try db.execute(sql: "INSERT INTO probe_shares (student_id, agency_id, note) VALUES (?, ?, ?)", arguments: [request.studentID, request.agencyID, request.note])
                    return db.lastInsertedRowID
                }
                return reply
            }
            // An agency sees a shared record only when its scope names the agency it was shared with.
            s.unary("ReadShared", permission: "probe.shared.read") { (request: Xinyu_Fixture_V1_ReadSharedRequest, context) in
                let row = try await context.store.read { db -> [String]? in
                    try Row.fetchOne(db, sql: "SELECT student_id, agency_id, note FROM probe_shares WHERE id = ?", arguments: [request.shareID])
                        .map { [$0["student_id"], $0["agency_id"], $0["note"]] }
                }
                guard let row else { throw RPCError(.notFound, "share \(request.shareID) not found") }
                let student = row[0]
                try context.requireScope(ScopeTarget(agencyIDs: [row[1]], studentID: student), what: "share \(request.shareID)")
                context.touched(subjects: [student])
                var reply = Xinyu_Fixture_V1_ReadSharedReply()
                reply.studentID = student
                reply.note = row[2]
                return reply
            }
            s.unary("Echo", permission: "probe.echo") { (request: Xinyu_Fixture_V1_EchoRequest, _) in
                if request.delayMs > 0 { try await Task.sleep(for: .milliseconds(Int(request.delayMs))) }
                var reply = Xinyu_Fixture_V1_EchoReply()
                reply.text = request.text
                reply.pid = getpid()
                return reply
            }
            s.unary("Sleep", permission: "probe.echo") { (request: Xinyu_Fixture_V1_SleepRequest, _) in
                try await Task.sleep(for: .milliseconds(Int(request.millis)))
                var reply = Xinyu_Fixture_V1_SleepReply()
                reply.finished = true
                return reply
            }
            // The same handlers placed on the connection's event loop (HandlerPlacement.eventLoop):
            // the reply says where the handler ran, and deadlines and cancellation must still work.
            s.unary("EchoOnLoop", permission: "probe.echo", placement: .eventLoop) { (request: Xinyu_Fixture_V1_EchoRequest, _) in
                if request.delayMs > 0 { try await Task.sleep(for: .milliseconds(Int(request.delayMs))) }
                var reply = Xinyu_Fixture_V1_EchoReply()
                reply.text = "\(request.text) on \(Self.whereThisRuns())"
                reply.pid = getpid()
                return reply
            }
            s.unary("EchoOnPool", permission: "probe.echo") { (request: Xinyu_Fixture_V1_EchoRequest, _) in
                var reply = Xinyu_Fixture_V1_EchoReply()
                reply.text = "\(request.text) on \(Self.whereThisRuns())"
                reply.pid = getpid()
                return reply
            }
            s.unary("SleepOnLoop", permission: "probe.echo", placement: .eventLoop) { (request: Xinyu_Fixture_V1_SleepRequest, _) in
                try await Task.sleep(for: .milliseconds(Int(request.millis)))
                var reply = Xinyu_Fixture_V1_SleepReply()
                reply.finished = true
                return reply
            }
            s.serverStreaming("CountTo", permission: "probe.echo", response: Xinyu_Fixture_V1_CountReply.self) { (request: Xinyu_Fixture_V1_CountRequest, stream, context) in
                guard request.upto >= 0 && request.upto <= 10_000 else {
                    throw RPCError.invalidField("upto", "must be 0…10000, got \(request.upto)")
                }
                for value in stride(from: 1, through: request.upto, by: 1) {
                    try context.checkCancellation()
                    var reply = Xinyu_Fixture_V1_CountReply()
                    reply.value = value
                    try stream.send(reply)
                    if request.intervalMs > 0 { try await Task.sleep(for: .milliseconds(Int(request.intervalMs))) }
                }
            }
            s.unary("RecordVisit", permission: "probe.write", mutates: true) { (request: Xinyu_Fixture_V1_RecordVisitRequest, context) in
                guard !request.studentID.isEmpty else { throw RPCError.invalidField("student_id", "is required") }
                context.touched(subjects: [request.studentID])
                let id = try await context.store.write { db -> Int64 in
                    try db.execute(sql: "INSERT INTO probe_visits (student_id, note) VALUES (?, ?)", arguments: [request.studentID, request.note])
                    let id = db.lastInsertedRowID
                    var event = Xinyu_Fixture_V1_VisitRecorded()
                    event.visitID = id
                    event.studentID = request.studentID
                    try context.publish("probe.visit.recorded", event, in: db)
                    return id
                }
                var reply = Xinyu_Fixture_V1_RecordVisitReply()
                reply.visitID = id
                reply.pid = getpid()
                return reply
            }
            s.unary("CountVisits", permission: "probe.echo") { (_: Xinyu_Fixture_V1_CountVisitsRequest, context) in
                var reply = Xinyu_Fixture_V1_CountVisitsReply()
                reply.visits = try await context.store.read { db in try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM probe_visits") ?? 0 }
                return reply
            }
            s.unary("WhoAmI", permission: "") { (_: Xinyu_Fixture_V1_WhoAmIRequest, context) in
                var reply = Xinyu_Fixture_V1_WhoAmIReply()
                reply.principalID = context.principal.id
                reply.kind = context.principal.kind.rawValue
                reply.deadlineRemainingMs = context.timeRemaining.map { Int64($0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000) } ?? -1
                reply.metadata = context.metadata.map { "\($0.key)=\($0.value)" }.sorted()
                return reply
            }
            s.unary("AskTally", permission: "probe.echo") { (_: Xinyu_Fixture_V1_AskTallyRequest, context) in
                let totals = try await context.call("xinyu.fixture.v1.Tally/Totals", Xinyu_Fixture_V1_TotalsRequest(), as: Xinyu_Fixture_V1_TotalsReply.self)
                var reply = Xinyu_Fixture_V1_AskTallyReply()
                reply.eventsSeen = totals.eventsSeen
                reply.askedAs = totals.caller
                return reply
            }
            s.unary("Remind", permission: "probe.write", mutates: true) { (request: Xinyu_Fixture_V1_RemindRequest, context) in
                var reply = Xinyu_Fixture_V1_RemindReply()
                reply.key = try await context.store.write { db in
                    try context.schedule(at: context.now.addingTimeInterval(Double(request.inMs) / 1000), topic: "probe.remind",
                                         payload: Reminder(note: request.note), in: db)
                }
                return reply
            }
            s.unary("ListReminders", permission: "probe.echo") { (_: Xinyu_Fixture_V1_ListRemindersRequest, context) in
                var reply = Xinyu_Fixture_V1_ListRemindersReply()
                reply.notes = try await context.store.read { db in try String.fetchAll(db, sql: "SELECT note FROM probe_reminders ORDER BY id") }
                return reply
            }
            // A full disk on demand (PRAGMA max_page_count on the writer connection): tests of how
            // a full disk is answered and shown.
            s.unary("LimitDatabase", permission: "probe.write") { (request: Xinyu_Fixture_V1_LimitDatabaseRequest, context) in
                var reply = Xinyu_Fixture_V1_LimitDatabaseReply()
                reply.maxPageCount = try await context.store.write { db -> Int64 in
                    let pages = request.full ? (try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0) : 1_073_741_823
                    return try Int64.fetchOne(db, sql: "PRAGMA max_page_count = \(pages)") ?? 0
                }
                return reply
            }
            // Calls Tally/Inspect through the host with context.call and returns its answer; the
            // callee's error comes back as this call's error.
            s.unary("CallTally", permission: "probe.echo") { (request: Xinyu_Fixture_V1_CallTallyRequest, context) in
                let timeout: Duration? = request.timeoutMs > 0 ? .milliseconds(Int64(request.timeoutMs)) : nil
                var reply = Xinyu_Fixture_V1_CallTallyReply()
                reply.answer = try await context.call("xinyu.fixture.v1.Tally/Inspect", request.inspect, as: Xinyu_Fixture_V1_InspectReply.self, timeout: timeout)
                return reply
            }
        }
    }
}

@main
enum ProbeMain {
    static func main() async {
        await PluginRuntime.run(ProbePlugin())
    }
}

extension ProbePlugin {
    /// "event loop" inside a NIO event loop thread, "task pool" elsewhere.
    static func whereThisRuns() -> String {
        HandlerPlacement.current == .eventLoop ? "event loop" : "task pool"
    }
}
