import GRDB
import XinyuCrisisCore
import XinyuPluginSDK

/// A "needs a case" item nobody turned into a case in time moves up a tier (class → school →
/// city) with a fresh deadline at the new tier, like an unassigned case; at the city tier it
/// stays overdue in the list of students without an open case (ListWarnings `no_open_case`).
struct CaseNeedTimers: Sendable {
    let configuration: CrisisConfiguration

    func register(_ registry: inout ServiceRegistry) {
        registry.onTimer(CaseNeedStore.dueTopic, as: CaseNeedDeadline.self, handler: escalate)
    }

    @Sendable func escalate(_ timer: CaseNeedDeadline, _ info: TimerInfo, _ context: CallContext) async throws {
        let timings = configuration.timings
        try await context.store.write { db -> Void in
            guard let need = try CaseNeedRecord.fetchOne(db, sql: "SELECT * FROM crisis_case_needs WHERE id = ?", arguments: [timer.needID]),
                  need.status == CaseNeedStatus.open.rawValue, need.tier < 3 else { return }
            guard need.dueAtMs <= context.nowMs else {
                // The deadline moved without its timer: follow it.
                try CaseNeedStore.schedule(db, id: need.id, dueAtMs: need.dueAtMs, tier: need.tier, context: context)
                return
            }
            let tier = need.tier + 1
            let due = context.nowMs + Int64(timings.assignmentMinutes(level: need.level)) * 60_000
            try db.execute(sql: "UPDATE crisis_case_needs SET tier = ?, due_at_ms = ?, reason = reason || ? WHERE id = ?",
                           arguments: [tier, due, "; no case opened in time: moved to the \(CaseStore.tierNames[tier] ?? "") tier", need.id])
            try CaseNeedStore.schedule(db, id: need.id, dueAtMs: due, tier: tier, context: context)
        }
    }
}
