import Foundation
import Testing
import XinyuDirectory
import XinyuFacilitiesAPI
import XinyuFacilitiesCore
import XinyuPluginSDK

@Suite("Ending and changing a duty slot from a day on; the timers follow, the past stays")
struct DutyRosterChangeHandlerTests {
    typealias Slot = Xinyu_Facilities_V1_DutySlot

    /// A room at school A and a Tuesday 10:00–11:00 slot of T001 from 2024-10-01 (the harness starts Tuesday 2024-10-08 09:00).
    func roster(_ h: FacilitiesHarness) async throws -> (room: String, slot: Slot) {
        try h.database.writeSync { db in try DirectorySeed.staff(db, id: "T002", name: "李老师", schoolID: "A") }
        let room = try await h.call("SaveRoom", Xinyu_Facilities_V1_SaveRoomRequest.with { $0.schoolID = "A"; $0.name = "心理辅导室" }, as: Xinyu_Facilities_V1_Room.self).value.id
        let slot = try await h.call("AddDutySlot", Xinyu_Facilities_V1_AddDutySlotRequest.with {
            $0.schoolID = "A"; $0.teacherID = "T001"; $0.roomID = room; $0.weekday = 2; $0.startsAt = "10:00"; $0.endsAt = "11:00"; $0.from = "2024-10-01"
        }, as: Slot.self)
        #expect(slot.code == .ok)
        return (room, slot.value)
    }

    func missed(_ h: FacilitiesHarness) async throws -> [String] {
        try await h.call("ListMissedDuties", Xinyu_Facilities_V1_ListMissedDutiesRequest.with { $0.from = "2024-09-01"; $0.to = "2024-12-31" },
                         as: Xinyu_Facilities_V1_ListMissedDutiesResponse.self).value.missed.map { "\($0.slotID) \($0.teacherID) \($0.day)" }
    }

    func pendingTimers(_ h: FacilitiesHarness, _ slotID: String) throws -> Int {
        try h.database.readSync { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM xinyu_timers WHERE owner = 'facilities' AND key = ? AND fired_at_ms IS NULL", arguments: ["duty-slot-\(slotID)"]) ?? 0
        }
    }

    func compliance(_ h: FacilitiesHarness) async throws -> Xinyu_Facilities_V1_DutyCompliance {
        try await h.call("GetDutyCompliance", Xinyu_Facilities_V1_GetDutyComplianceRequest.with { $0.schoolID = "A"; $0.from = "2024-10-01"; $0.to = "2024-10-31" },
                         as: Xinyu_Facilities_V1_DutyCompliance.self).value
    }

    @Test("a change from next week: the old slot's missed duty and compliance stay, the new teacher's timer judges the new slot")
    func change() async throws {
        let h = try FacilitiesHarness()
        let (_, slot) = try await roster(h)
        h.clock.advance(by: .seconds(3 * 3600))          // 12:00: 10-01 and 10-08 have ended unchecked
        try await h.dispatcher.fireDueTimers()
        try await h.dispatcher.fireDueTimers()
        #expect(try await missed(h) == ["\(slot.id) T001 2024-10-01", "\(slot.id) T001 2024-10-08"])
        let before = try await compliance(h)

        // Not from today: today's occurrence has ended and counts as it was.
        let tooEarly = try await h.call("ChangeDutySlot", Xinyu_Facilities_V1_ChangeDutySlotRequest.with {
            $0.slotID = slot.id; $0.from = "2024-10-08"; $0.teacherID = "T002"
        }, as: Slot.self)
        #expect(tooEarly.code == .failedPrecondition && tooEarly.message.contains("field from") && tooEarly.message.contains("2024-10-09"), "\(tooEarly.message)")

        let changed = try await h.call("ChangeDutySlot", Xinyu_Facilities_V1_ChangeDutySlotRequest.with {
            $0.slotID = slot.id; $0.from = "2024-10-09"; $0.teacherID = "T002"; $0.weekday = 4; $0.startsAt = "14:00"; $0.endsAt = "15:00"
        }, as: Slot.self)
        #expect(changed.code == .ok, "\(changed.message)")
        #expect(changed.value.replaces == slot.id && changed.value.teacherID == "T002" && changed.value.weekday == 4 && changed.value.from == "2024-10-09")
        let roster = try await h.call("ListDutySlots", Xinyu_Facilities_V1_ListDutySlotsRequest.with { $0.schoolID = "A" }, as: Xinyu_Facilities_V1_ListDutySlotsResponse.self).value.slots
        #expect(roster.map(\.until) == ["2024-10-08", ""] && roster.first?.replacedBy == changed.value.id)
        // Past compliance is unchanged.
        #expect(try await compliance(h).school == before.school)
        // The old slot's timer followed at once: its pending occurrence (10-15) is gone, so it is cancelled.
        #expect(try pendingTimers(h, slot.id) == 0 && pendingTimers(h, changed.value.id) == 1)

        // Two weeks on: the old Tuesday slot has no occurrence; the new Thursday slot is judged.
        h.clock.advance(by: .seconds(14 * 86400))
        while try await h.dispatcher.fireDueTimers() > 0 {}
        #expect(try await missed(h) == ["\(slot.id) T001 2024-10-01", "\(slot.id) T001 2024-10-08",
                                         "\(changed.value.id) T002 2024-10-10", "\(changed.value.id) T002 2024-10-17"])
        let after = try await compliance(h)
        #expect(after.teachers.first { $0.teacherID == "T001" }?.rostered == 2)
        #expect(after.teachers.first { $0.teacherID == "T002" }?.rostered == 2)
        // A slot already changed is changed through its successor.
        let twice = try await h.call("ChangeDutySlot", Xinyu_Facilities_V1_ChangeDutySlotRequest.with { $0.slotID = slot.id; $0.from = "2024-12-01"; $0.teacherID = "T001" }, as: Slot.self)
        #expect(twice.code == .failedPrecondition && twice.message.contains("change slot \(changed.value.id)"))
    }

    @Test("ending a slot from a day: its timer is cancelled, nothing after is missed, before stays")
    func end() async throws {
        let h = try FacilitiesHarness()
        let (_, slot) = try await roster(h)
        // Ending from today before 10:00 drops today's occurrence (it has not started).
        let ended = try await h.call("EndDutySlot", Xinyu_Facilities_V1_EndDutySlotRequest.with { $0.slotID = slot.id; $0.from = "2024-10-08" }, as: Slot.self)
        #expect(ended.code == .ok && ended.value.until == "2024-10-07", "\(ended.message)")
        try await h.dispatcher.fireDueTimers()            // 10-01 (ended before the change) is still judged
        h.clock.advance(by: .seconds(30 * 86400))
        while try await h.dispatcher.fireDueTimers() > 0 {}
        #expect(try await missed(h) == ["\(slot.id) T001 2024-10-01"])
        #expect(try pendingTimers(h, slot.id) == 0)
        let bad = try await h.call("EndDutySlot", Xinyu_Facilities_V1_EndDutySlotRequest.with { $0.slotID = slot.id }, as: Slot.self)
        #expect(bad.code == .invalidArgument && bad.message.contains("from"))
        let missing = try await h.call("EndDutySlot", Xinyu_Facilities_V1_EndDutySlotRequest.with { $0.slotID = "99"; $0.from = "2024-12-01" }, as: Slot.self)
        #expect(missing.code == .notFound)
    }
}
