import Foundation
import GRDB
import XinyuFacilitiesCore
import XinyuPluginSDK

/// The payload of a duty slot's timer: the occurrence whose end it marks.
struct DutyOccurrence: Codable, Sendable {
    let slotID: Int64
    let day: String
}

/// Finds missed duties with one durable timer per slot, set to the end of its next occurrence
/// (no daily sweep that a restart or a slow day can skip). When it fires, an occurrence without
/// a check-in that is not on a holiday or term break is recorded as missed, and the timer moves
/// to the end of the slot's next occurrence, in the same transaction as its fired mark. A timer
/// that came due while the plugin was down fires at start-up; past occurrences are walked one by
/// one, so each is judged.
struct DutyTimers: Sendable {
    let configuration: FacilitiesConfiguration
    static let topic = "facilities.duty.occurrence-ended"

    static func key(_ slotID: Int64) -> String { "duty-slot-\(slotID)" }

    func register(_ registry: inout ServiceRegistry) {
        registry.onTimer(Self.topic, as: DutyOccurrence.self, handler: occurrenceEnded)
    }

    /// After the slot was ended or changed: the timer follows. Its pending occurrence (the day its
    /// due time falls on) is kept when the slot still has it, else it moves to the slot's next
    /// occurrence, or is cancelled when there is none.
    static func follow(_ db: Database, slot: DutySlotRecord, context: CallContext) throws {
        guard let pending = try context.pendingTimer(key: key(slot.id), in: db) else { return }
        try scheduleNext(db, slot: slot, onOrAfter: context.calendar.day(of: pending.dueAt), context: context)
    }

    /// Schedules the slot's timer for the end of its first occurrence on or after `day`, or
    /// cancels it when the slot has no more occurrences.
    static func scheduleNext(_ db: Database, slot: DutySlotRecord, onOrAfter day: CalendarDay, context: CallContext) throws {
        guard let next = slot.plan.nextDay(onOrAfter: day) else {
            try context.cancelTimer(key: key(slot.id), in: db)
            return
        }
        let end = context.calendar.start(of: next).addingTimeInterval(Double(slot.endsAt))
        try context.schedule(at: end, topic: topic, payload: DutyOccurrence(slotID: slot.id, day: next.description), key: key(slot.id), in: db)
    }

    @Sendable func occurrenceEnded(_ occurrence: DutyOccurrence, _ info: TimerInfo, _ context: CallContext) async throws {
        let breaks = DutyComplianceCalculator(breaks: configuration.dutyBreaks)
        let missed = try await context.store.write { db -> Bool in
            guard let slot = try DutySlotRecord.find(db, id: occurrence.slotID), let day = CalendarDay(occurrence.day) else { return false }
            var missed = false
            // The slot may have been ended or changed since the timer was set: an occurrence it no
            // longer has is not judged (ScheduleNext below then cancels or moves the timer).
            if slot.plan.occurs(on: day), breaks.breakOn(day) == nil {
                let kept = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM facilities_duty_checkins WHERE slot_id = ? AND day = ?)",
                                             arguments: [slot.id, occurrence.day]) ?? false
                if !kept {
                    try db.execute(sql: """
                        INSERT OR IGNORE INTO facilities_missed_duties (slot_id, day, school_id, teacher_id, found_at_ms) VALUES (?, ?, ?, ?, ?)
                        """, arguments: [slot.id, occurrence.day, slot.schoolID, slot.teacherID, context.nowMs])
                    missed = true
                }
            }
            try Self.scheduleNext(db, slot: slot, onOrAfter: day.adding(days: 1), context: context)
            return missed
        }
        if missed { context.logger.notice("missed duty recorded", metadata: ["slot": "\(occurrence.slotID)", "day": "\(occurrence.day)"]) }
    }
}
