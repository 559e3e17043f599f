import Foundation
import GRDB
import XinyuFacilitiesAPI
import XinyuFacilitiesCore
import XinyuPluginSDK

/// AddDutySlot, ListDutySlots, CheckIn, ListMissedDuties, GetDutyCompliance: the duty roster
/// (值班), check-ins at the room, missed duties (found by ``DutyTimers``) and compliance.
struct DutyHandlers: Sendable {
    let configuration: FacilitiesConfiguration

    func register(_ s: inout ServiceBuilder) {
        s.unary("AddDutySlot", permission: FacilitiesPermissions.write, mutates: true, handler: add)
        s.unary("ListDutySlots", permission: FacilitiesPermissions.read, handler: listSlots)
        s.unary("CheckIn", permission: FacilitiesPermissions.checkIn, mutates: true, handler: checkIn)
        s.unary("ListMissedDuties", permission: FacilitiesPermissions.read, handler: listMissed)
        s.unary("GetDutyCompliance", permission: FacilitiesPermissions.read, handler: compliance)
    }

    @Sendable func add(_ request: Xinyu_Facilities_V1_AddDutySlotRequest, _ context: CallContext) async throws -> Xinyu_Facilities_V1_DutySlot {
        guard (1...7).contains(request.weekday) else { throw RPCError.invalidField("weekday", "\(request.weekday) must be 1 (Monday) – 7 (Sunday)") }
        guard let starts = TimeOfDay(request.startsAt) else { throw RPCError.invalidField("starts_at", "'\(request.startsAt)' is not HH:MM or HH:MM:SS") }
        guard let ends = TimeOfDay(request.endsAt) else { throw RPCError.invalidField("ends_at", "'\(request.endsAt)' is not HH:MM or HH:MM:SS") }
        guard ends > starts else { throw RPCError.invalidField("ends_at", "\(ends) must be after starts_at \(starts)") }
        let from = try CalendarDay.fromRequest(request.from, field: "from", default: context.today)
        let until = request.until.isEmpty ? nil : try CalendarDay.fromRequest(request.until, field: "until")
        if let until, until < from { throw RPCError.invalidField("until", "\(until) is before from \(from)") }
        guard !request.teacherID.isEmpty else { throw RPCError.invalidField("teacher_id", "is required") }
        let roomID = try SchoolAccess.number(request.roomID, field: "room_id")
        return try await context.store.write { db in
            _ = try SchoolAccess.visible(db, id: request.schoolID, context: context)
            guard try context.directory.staffExists(request.teacherID, in: db) else {
                throw RPCError.invalidField("teacher_id", "no staff member \(request.teacherID) in the directory")
            }
            guard let room = try RoomRecord.find(db, id: roomID), room.schoolID == request.schoolID else {
                throw RPCError.invalidField("room_id", "no room \(request.roomID) at school \(request.schoolID)")
            }
            try db.execute(sql: """
                INSERT INTO facilities_duty_slots (school_id, teacher_id, room_id, weekday, starts_at, ends_at, from_day, until_day, created_by, created_at_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [request.schoolID, request.teacherID, roomID, request.weekday, starts.seconds, ends.seconds,
                                 from.description, until?.description ?? "", context.principal.id, context.nowMs])
            guard let slot = try DutySlotRecord.find(db, id: db.lastInsertedRowID) else { throw RPCError(.internal, "slot vanished") }
            try DutyTimers.scheduleNext(db, slot: slot, onOrAfter: from, context: context)
            return slot.message
        }
    }

    @Sendable func listSlots(_ request: Xinyu_Facilities_V1_ListDutySlotsRequest, _ context: CallContext) async throws -> Xinyu_Facilities_V1_ListDutySlotsResponse {
        let page = PageRequest(list: "facilities.duty-slots", filters: [request.schoolID],
                               size: PageRequest.clampedSize(request.limit, default: 100, maximum: 500), token: request.pageToken)
        return try await context.store.read { db in
            _ = try SchoolAccess.visible(db, id: request.schoolID, context: context)
            var q = KeysetQuery(select: "s.*", from: "facilities_duty_slots s", orderBy: [.init("s.id", as: "id")])
            q.filter("s.school_id = ?", [request.schoolID])
            let found = try q.page(db, page, as: DutySlotRecord.self)
            var reply = Xinyu_Facilities_V1_ListDutySlotsResponse()
            reply.slots = found.items.map(\.message)
            reply.nextPageToken = found.nextPageToken
            return reply
        }
    }

    /// The teacher on duty checks in, in person, during today's occurrence of the slot (from
    /// `check_in_early_minutes` before it starts until it ends). Only that teacher may.
    @Sendable func checkIn(_ request: Xinyu_Facilities_V1_CheckInRequest, _ context: CallContext) async throws -> Xinyu_Facilities_V1_DutyCheckIn {
        let slotID = try SchoolAccess.number(request.slotID, field: "slot_id")
        let how = request.how.isEmpty ? CheckInMethod.inPerson : try CheckInMethod.fromRequest(request.how, field: "how")
        let today = context.today
        let now = Int(context.now.timeIntervalSince(context.calendar.start(of: today)))
        let early = configuration.checkInEarlyMinutes * 60
        let calculator = DutyComplianceCalculator(breaks: configuration.dutyBreaks)
        return try await context.store.write { db in
            guard let slot = try DutySlotRecord.find(db, id: slotID) else { throw RPCError(.notFound, "field slot_id: no duty slot \(request.slotID)") }
            _ = try SchoolAccess.visible(db, id: slot.schoolID, field: "slot_id", context: context)
            guard context.principal.id == "staff:\(slot.teacherID)" || context.principal.id == slot.teacherID else {
                throw RPCError(.permissionDenied, "field slot_id: only the teacher on duty (\(slot.teacherID)) may check in for slot \(slot.id)")
            }
            guard slot.plan.nextDay(onOrAfter: today) == today else {
                throw RPCError(.failedPrecondition, "field slot_id: slot \(slot.id) has no duty today (\(today))")
            }
            if let holiday = calculator.breakOn(today) {
                throw RPCError(.failedPrecondition, "field slot_id: no duty today (\(holiday.name))")
            }
            guard now >= slot.startsAt - early, now <= slot.endsAt else {
                throw RPCError(.failedPrecondition, "field slot_id: check-in is open \(TimeOfDay(seconds: slot.startsAt - early))–\(TimeOfDay(seconds: slot.endsAt)), not at \(TimeOfDay(seconds: now))")
            }
            guard try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM facilities_duty_checkins WHERE slot_id = ? AND day = ?)",
                                      arguments: [slot.id, today.description]) ?? false) else {
                throw RPCError(.alreadyExists, "field slot_id: already checked in for slot \(slot.id) on \(today)")
            }
            try db.execute(sql: "INSERT INTO facilities_duty_checkins (slot_id, day, teacher_id, at_ms, how) VALUES (?, ?, ?, ?, ?)",
                           arguments: [slot.id, today.description, slot.teacherID, context.nowMs, how.requiredStoredText])
            var reply = Xinyu_Facilities_V1_DutyCheckIn()
            reply.slotID = String(slot.id)
            reply.day = today.description
            reply.teacherID = slot.teacherID
            reply.atMs = context.nowMs
            reply.how = how.requiredStoredText
            return reply
        }
    }

    @Sendable func listMissed(_ request: Xinyu_Facilities_V1_ListMissedDutiesRequest, _ context: CallContext) async throws -> Xinyu_Facilities_V1_ListMissedDutiesResponse {
        let to = try CalendarDay.fromRequest(request.to, field: "to", default: context.today)
        let from = try CalendarDay.fromRequest(request.from, field: "from", default: to.adding(days: -30))
        let page = PageRequest(list: "facilities.missed-duties", filters: [request.schoolID, from.description, to.description],
                               size: PageRequest.clampedSize(request.limit, default: 100, maximum: 500), token: request.pageToken)
        return try await context.store.read { db in
            if !request.schoolID.isEmpty { _ = try SchoolAccess.visible(db, id: request.schoolID, context: context) }
            var q = KeysetQuery(select: "m.*", from: "facilities_missed_duties m", orderBy: [.init("m.day", as: "day"), .init("m.slot_id", as: "slot_id")])
            let scope = context.scopeFilter(ScopeColumns(school: "m.school_id"))
            q.filter(scope.sql, arguments: scope.arguments)
            q.filter("m.day BETWEEN ? AND ?", [from.description, to.description])
            if !request.schoolID.isEmpty { q.filter("m.school_id = ?", [request.schoolID]) }
            let found = try q.page(db, page) { $0 }
            var reply = Xinyu_Facilities_V1_ListMissedDutiesResponse()
            reply.nextPageToken = found.nextPageToken
            reply.missed = found.items.map { row in
                var missed = Xinyu_Facilities_V1_MissedDuty()
                missed.slotID = String(row["slot_id"] as Int64)
                missed.schoolID = row["school_id"]
                missed.teacherID = row["teacher_id"]
                missed.day = row["day"]
                missed.foundAtMs = row["found_at_ms"]
                return missed
            }
            return reply
        }
    }

    @Sendable func compliance(_ request: Xinyu_Facilities_V1_GetDutyComplianceRequest, _ context: CallContext) async throws -> Xinyu_Facilities_V1_DutyCompliance {
        let to = try CalendarDay.fromRequest(request.to, field: "to", default: context.today)
        let from = try CalendarDay.fromRequest(request.from, field: "from", default: to.adding(days: -29))
        guard from <= to else { throw RPCError.invalidField("from", "\(from) is after to \(to)") }
        return try await context.store.read { db in
            _ = try SchoolAccess.visible(db, id: request.schoolID, context: context)
            let figures = try DutyComplianceQuery(configuration: configuration)
                .figures(db, schoolID: request.schoolID, teacherID: request.teacherID, from: from, to: to, context: context)
            var reply = Xinyu_Facilities_V1_DutyCompliance()
            reply.schoolID = request.schoolID
            reply.from = from.description
            reply.to = to.description
            reply.school = figures.school.message
            reply.teachers = figures.teachers.map(\.message)
            return reply
        }
    }
}
