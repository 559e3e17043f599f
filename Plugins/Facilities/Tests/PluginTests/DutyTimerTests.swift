import Foundation
import Testing
import XinyuFacilitiesAPI
import XinyuFacilitiesCore
import XinyuPluginSDK

@Suite("Missed duty found by the slot's durable timer")
struct DutyTimerTests {
    @Test("each occurrence is judged when it ends: a break excuses, no check-in is missed, a check-in keeps")
    func judgedAtEachEnd() async throws {
        var configuration = FacilitiesConfiguration.default
        configuration.dutyBreaks = [DutyBreak(name: "国庆", from: CalendarDay("2024-10-01")!, to: CalendarDay("2024-10-07")!)]
        let h = try FacilitiesHarness(configuration: configuration)
        let room = try await h.call("SaveRoom", Xinyu_Facilities_V1_SaveRoomRequest.with { $0.schoolID = "A"; $0.name = "心理辅导室" },
                                    as: Xinyu_Facilities_V1_Room.self)
        #expect(room.code == .ok)
        let slot = try await h.call("AddDutySlot", Xinyu_Facilities_V1_AddDutySlotRequest.with {
            $0.schoolID = "A"; $0.teacherID = "T001"; $0.roomID = room.value.id; $0.weekday = 2
            $0.startsAt = "10:00"; $0.endsAt = "11:00"; $0.from = "2024-10-01"
        }, as: Xinyu_Facilities_V1_DutySlot.self)
        #expect(slot.code == .ok)
        func missed() async throws -> [String] {
            try await h.call("ListMissedDuties", Xinyu_Facilities_V1_ListMissedDutiesRequest.with { $0.from = "2024-09-01"; $0.to = "2024-12-31" },
                             as: Xinyu_Facilities_V1_ListMissedDutiesResponse.self).value.missed.map(\.day)
        }
        // 10-01 ended during the break: its timer fires at once and excuses it.
        try await h.dispatcher.fireDueTimers()
        #expect(try await missed() == [])
        // 10-08 ends at 11:00 with no check-in.
        h.clock.advance(by: .seconds(2 * 3600))
        try await h.dispatcher.fireDueTimers()
        #expect(try await missed() == ["2024-10-08"])
        // 10-15: the teacher checks in at 10:30; only the teacher on duty may.
        h.clock.advance(by: .seconds(7 * 86400 - 30 * 60))
        let teacher = Principal(id: "staff:T001", kind: .person, permissions: ["facilities.*"], scopes: [DataScope(kind: "school", ids: ["A"])])
        let other = Principal(id: "staff:T009", kind: .person, permissions: ["facilities.*"], scopes: [DataScope(kind: "school", ids: ["A"])])
        #expect(try await h.call("CheckIn", Xinyu_Facilities_V1_CheckInRequest.with { $0.slotID = slot.value.id }, as: Xinyu_Facilities_V1_DutyCheckIn.self,
                                 principal: other).code == .permissionDenied)
        #expect(try await h.call("CheckIn", Xinyu_Facilities_V1_CheckInRequest.with { $0.slotID = slot.value.id }, as: Xinyu_Facilities_V1_DutyCheckIn.self,
                                 principal: teacher).code == .ok)
        h.clock.advance(by: .seconds(3600))
        try await h.dispatcher.fireDueTimers()
        #expect(try await missed() == ["2024-10-08"])
        let compliance = try await h.call("GetDutyCompliance", Xinyu_Facilities_V1_GetDutyComplianceRequest.with {
            $0.schoolID = "A"; $0.from = "2024-10-01"; $0.to = "2024-10-15"
        }, as: Xinyu_Facilities_V1_DutyCompliance.self).value
        #expect(compliance.school.rostered == 2 && compliance.school.kept == 1 && compliance.school.missed == 1 && compliance.school.excused == 1)
        #expect(compliance.teachers.map(\.teacherID) == ["T001"])
    }

    @Test("a bad slot is refused naming the field, and nothing is written")
    func badSlot() async throws {
        let h = try FacilitiesHarness()
        let reply = try await h.call("AddDutySlot", Xinyu_Facilities_V1_AddDutySlotRequest.with {
            $0.schoolID = "A"; $0.teacherID = "T001"; $0.roomID = "1"; $0.weekday = 2; $0.startsAt = "11:00"; $0.endsAt = "10:00"
        }, as: Xinyu_Facilities_V1_DutySlot.self)
        #expect(reply.code == .invalidArgument && reply.status.message.contains("ends_at"))
    }
}
