import GRDB
import XinyuCrisisAPI
import XinyuEventsAPI
import XinyuPluginSDK

/// GetArchive: a student's psychological archive (心理档案) as one timeline, and the home
/// visits the homeschool plugin reports. Counselling notes are never part of it.
struct ArchiveHandlers: Sendable {
    func register(_ s: inout ServiceBuilder) {
        s.unary("GetArchive", permission: CrisisPermissions.caseRead, handler: get)
    }

    func subscribe(_ registry: inout ServiceRegistry) {
        registry.subscribe(CrisisTopics.visitRecorded, as: Xinyu_Events_V1_VisitRecorded.self) { event, info, context in
            guard !event.studentID.isEmpty else { return }
            try await context.store.write { db in
                try db.execute(sql: "INSERT INTO crisis_external_entries (student_id, kind, at_ms, summary, ref) VALUES (?, 'visit', ?, ?, ?)",
                               arguments: [event.studentID, info.recordedAtMs, "home visit \(event.visitedOn): \(event.summary)", "visit:\(event.visitID)"])
            }
        }
    }

    @Sendable func get(_ request: Xinyu_Crisis_V1_GetArchiveRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_GetArchiveResponse {
        try await context.store.read { db in
            let student = try StudentFacts.visible(db, id: request.studentID, context: context)
            let id = student.id
            var entries: [Xinyu_Crisis_V1_TimelineEntry] = []
            func add(_ at: Int64, _ kind: String, _ summary: String, _ ref: String) {
                var e = Xinyu_Crisis_V1_TimelineEntry()
                e.atMs = at
                e.kind = kind
                e.summary = summary
                e.ref = ref
                entries.append(e)
            }
            for r in try Row.fetchAll(db, sql: "SELECT id, instrument_id, band, total, recorded_at_ms, round_id FROM crisis_screening_results WHERE student_id = ?", arguments: [id]) {
                let total = (r["total"] as Int?).map { " \($0)" } ?? ""
                add(r["recorded_at_ms"], "screening", "\(r["instrument_id"] as String) \(r["band"] as String)\(total)", "screening:\(r["id"] as Int64)")
            }
            for r in try Row.fetchAll(db, sql: "SELECT id, from_level, to_level, reason, changed_at_ms FROM crisis_level_changes WHERE student_id = ?", arguments: [id]) {
                add(r["changed_at_ms"], "level", "level \(r["from_level"] as Int) → \(r["to_level"] as Int): \(r["reason"] as String)", "level_change:\(r["id"] as Int64)")
            }
            for r in try Row.fetchAll(db, sql: """
                SELECT e.case_id, e.kind, e.to_tier, e.reason, e.at_ms FROM crisis_case_events e JOIN crisis_cases c ON c.id = e.case_id WHERE c.student_id = ?
                """, arguments: [id]) {
                add(r["at_ms"], "case", "case \(r["kind"] as String) (\(CaseStore.tierNames[r["to_tier"]] ?? "")): \(r["reason"] as String)", "case:\(r["case_id"] as Int64)")
            }
            // By the approval's own student: a removal from the warning database may have no case.
            for r in try Row.fetchAll(db, sql: """
                SELECT id, case_id, subject, status, decided_at_ms, requested_at_ms FROM crisis_approvals WHERE student_id = ?
                """, arguments: [id]) {
                let at: Int64 = r["decided_at_ms"] > 0 ? r["decided_at_ms"] : r["requested_at_ms"]
                let subject: String = r["subject"]
                let ref = (r["case_id"] as Int64?).map { "case:\($0)" } ?? "approval:\(r["id"] as Int64)"
                add(at, subject == "removal" ? "removal" : "plan", "\(subject) \(r["status"] as String)", ref)
            }
            for r in try Row.fetchAll(db, sql: "SELECT id, done_on, summary, recorded_at_ms FROM crisis_follow_ups WHERE student_id = ? AND done_on <> ''", arguments: [id]) {
                add(r["recorded_at_ms"], "follow_up", "follow-up \(r["done_on"] as String): \(r["summary"] as String)", "follow_up:\(r["id"] as Int64)")
            }
            for r in try Row.fetchAll(db, sql: "SELECT id, agency, status, requested_at_ms FROM crisis_referrals WHERE student_id = ?", arguments: [id]) {
                add(r["requested_at_ms"], "referral", "referral to \(r["agency"] as String) (\(r["status"] as String))", "referral:\(r["id"] as Int64)")
            }
            for r in try Row.fetchAll(db, sql: "SELECT id, status, started_on, returned_on, updated_at_ms FROM crisis_leaves WHERE student_id = ?", arguments: [id]) {
                let returned: String = r["returned_on"]
                add(r["updated_at_ms"], "leave", "leave from \(r["started_on"] as String)" + (returned.isEmpty ? " (\(r["status"] as String))" : ", returned \(returned)"), "leave:\(r["id"] as Int64)")
            }
            for r in try Row.fetchAll(db, sql: "SELECT id, status, raised_at_ms FROM crisis_concerns WHERE student_id = ?", arguments: [id]) {
                add(r["raised_at_ms"], "concern", "concern raised (\(r["status"] as String))", "concern:\(r["id"] as Int64)")
            }
            for r in try Row.fetchAll(db, sql: "SELECT kind, at_ms, summary, ref FROM crisis_external_entries WHERE student_id = ?", arguments: [id]) {
                add(r["at_ms"], r["kind"], r["summary"], r["ref"])
            }
            var response = Xinyu_Crisis_V1_GetArchiveResponse()
            response.studentID = id
            response.currentLevel = try LevelStore.current(db, studentID: id) ?? LevelStore.none(student)
            response.entries = entries.enumerated().sorted { ($0.element.atMs, $0.offset) < ($1.element.atMs, $1.offset) }.map(\.element)
            return response
        }
    }
}
