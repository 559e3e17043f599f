import Foundation
import GRDB
import XinyuFacilitiesAPI
import XinyuFacilitiesCore
import XinyuPluginSDK

/// EndDutySlot and ChangeDutySlot: the roster changes from a day on, and the past stays as it
/// was (``DutyRosterChange``). Ending sets the slot's last day; changing ends the slot the day
/// before the change and adds a new slot that continues it (`replaces` / `replaced_by`), so the
/// check-ins and missed duties of the old slot keep counting for the old slot. The missed-duty
/// timers follow in the same transaction: the old slot's timer keeps its pending occurrence if
/// the slot still has it and is cancelled otherwise; the new slot gets its own.
struct DutyRosterHandlers: Sendable {
    func register(_ s: inout ServiceBuilder) {
        s.unary("EndDutySlot", permission: FacilitiesPermissions.write, mutates: true, handler: end)
        s.unary("ChangeDutySlot", permission: FacilitiesPermissions.write, mutates: true, handler: change)
    }

    @Sendable func end(_ request: Xinyu_Facilities_V1_EndDutySlotRequest, _ context: CallContext) async throws -> Xinyu_Facilities_V1_DutySlot {
        let slotID = try SchoolAccess.number(request.slotID, field: "slot_id")
        guard !request.from.isEmpty else { throw RPCError.invalidField("from", "is required: the first day without the slot") }
        let from = try CalendarDay.fromRequest(request.from, field: "from")
        return try await context.store.write { db in
            let slot = try Self.visibleSlot(db, id: slotID, text: request.slotID, context: context)
            let ended = try Self.endSlot(db, slot, from: from, context: context)
            return ended.message
        }
    }

    @Sendable func change(_ request: Xinyu_Facilities_V1_ChangeDutySlotRequest, _ context: CallContext) async throws -> Xinyu_Facilities_V1_DutySlot {
        let slotID = try SchoolAccess.number(request.slotID, field: "slot_id")
        guard !request.from.isEmpty else { throw RPCError.invalidField("from", "is required: the first day of the change") }
        let from = try CalendarDay.fromRequest(request.from, field: "from")
        guard request.weekday == 0 || (1...7).contains(request.weekday) else {
            throw RPCError.invalidField("weekday", "\(request.weekday) must be 1 (Monday) – 7 (Sunday)")
        }
        let startsAt = try request.startsAt.isEmpty ? nil : Self.time(request.startsAt, field: "starts_at")
        let endsAt = try request.endsAt.isEmpty ? nil : Self.time(request.endsAt, field: "ends_at")
        let roomID = try request.roomID.isEmpty ? nil : SchoolAccess.number(request.roomID, field: "room_id")
        return try await context.store.write { db in
            let old = try Self.visibleSlot(db, id: slotID, text: request.slotID, context: context)
            guard old.replacedBy == nil else {
                throw RPCError(.failedPrecondition, "field slot_id: slot \(old.id) was already changed; change slot \(old.replacedBy!) instead")
            }
            let teacher = request.teacherID.isEmpty ? old.teacherID : request.teacherID
            if teacher != old.teacherID, try !context.directory.staffExists(teacher, in: db) {
                throw RPCError.invalidField("teacher_id", "no staff member \(teacher) in the directory")
            }
            let room = roomID ?? old.roomID
            if room != old.roomID {
                guard let found = try RoomRecord.find(db, id: room), found.schoolID == old.schoolID else {
                    throw RPCError.invalidField("room_id", "no room \(request.roomID) at school \(old.schoolID)")
                }
            }
            let starts = startsAt?.seconds ?? old.startsAt
            let ends = endsAt?.seconds ?? old.endsAt
            guard ends > starts else {
                throw RPCError.invalidField(endsAt == nil ? "starts_at" : "ends_at", "\(TimeOfDay(seconds: ends)) must be after starts_at \(TimeOfDay(seconds: starts))")
            }
            let weekday = request.weekday == 0 ? old.weekday : Int(request.weekday)
            guard teacher != old.teacherID || room != old.roomID || weekday != old.weekday || starts != old.startsAt || ends != old.endsAt else {
                throw RPCError.invalidField("teacher_id", "nothing to change: give a new teacher, room, weekday or time")
            }
            _ = try Self.endSlot(db, old, from: from, context: context)
            try db.execute(sql: """
                INSERT INTO facilities_duty_slots (school_id, teacher_id, room_id, weekday, starts_at, ends_at, from_day, until_day, created_by, created_at_ms, replaces)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [old.schoolID, teacher, room, weekday, starts, ends, from.description, old.untilDay, context.principal.id, context.nowMs, old.id])
            let newID = db.lastInsertedRowID
            try db.execute(sql: "UPDATE facilities_duty_slots SET replaced_by = ? WHERE id = ?", arguments: [newID, old.id])
            guard let slot = try DutySlotRecord.find(db, id: newID) else { throw RPCError(.internal, "slot vanished") }
            try DutyTimers.scheduleNext(db, slot: slot, onOrAfter: max(from, context.today), context: context)
            return slot.message
        }
    }

    static func time(_ text: String, field: String) throws -> TimeOfDay {
        guard let time = TimeOfDay(text) else { throw RPCError.invalidField(field, "'\(text)' is not HH:MM or HH:MM:SS") }
        return time
    }

    static func visibleSlot(_ db: Database, id: Int64, text: String, context: CallContext) throws -> DutySlotRecord {
        guard let slot = try DutySlotRecord.find(db, id: id) else { throw RPCError(.notFound, "field slot_id: no duty slot \(text)") }
        _ = try SchoolAccess.visible(db, id: slot.schoolID, field: "slot_id", context: context)
        return slot
    }

    /// Sets the slot's last day to the day before `from` (refused when that would change an
    /// occurrence that has ended) and lets its timer follow. Answers the slot as it is now.
    static func endSlot(_ db: Database, _ slot: DutySlotRecord, from: CalendarDay, context: CallContext) throws -> DutySlotRecord {
        let nowInDay = TimeOfDay(seconds: Int(context.now.timeIntervalSince(context.calendar.start(of: context.today))))
        let until: CalendarDay
        do {
            until = try DutyRosterChange.until(endingFrom: from, slot: slot.plan, today: context.today, nowInDay: nowInDay)
        } catch let refusal as DutyRosterChange.Refusal {
            throw RPCError(.failedPrecondition, "field from: \(refusal.description)")
        }
        try db.execute(sql: "UPDATE facilities_duty_slots SET until_day = ? WHERE id = ?", arguments: [until.description, slot.id])
        guard let ended = try DutySlotRecord.find(db, id: slot.id) else { throw RPCError(.internal, "slot vanished") }
        try DutyTimers.follow(db, slot: ended, context: context)
        return ended
    }
}
