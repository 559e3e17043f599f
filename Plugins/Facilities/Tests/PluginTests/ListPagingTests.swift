import Foundation
import Testing
import XinyuFacilitiesAPI
import XinyuPluginSDK

@Suite("Lists that could grow without bound are paged")
struct ListPagingTests {
    @Test("duty slots and missed duties come in pages; every row once; a token for other filters is refused")
    func dutyLists() async throws {
        let h = try FacilitiesHarness()
        let room = try await h.call("SaveRoom", Xinyu_Facilities_V1_SaveRoomRequest.with { $0.schoolID = "A"; $0.name = "心理辅导室" }, as: Xinyu_Facilities_V1_Room.self).value.id
        var ids: [String] = []
        for weekday in 1...5 {
            ids.append(try await h.call("AddDutySlot", Xinyu_Facilities_V1_AddDutySlotRequest.with {
                $0.schoolID = "A"; $0.teacherID = "T001"; $0.roomID = room; $0.weekday = Int32(weekday); $0.startsAt = "08:00"; $0.endsAt = "08:30"; $0.from = "2024-09-30"
            }, as: Xinyu_Facilities_V1_DutySlot.self).value.id)
        }
        var seen: [String] = []
        var token = ""
        repeat {
            let page = try await h.call("ListDutySlots", Xinyu_Facilities_V1_ListDutySlotsRequest.with { $0.schoolID = "A"; $0.limit = 2; $0.pageToken = token },
                                        as: Xinyu_Facilities_V1_ListDutySlotsResponse.self)
            #expect(page.code == .ok && page.value.slots.count <= 2)
            seen += page.value.slots.map(\.id)
            token = page.value.nextPageToken
        } while !token.isEmpty
        #expect(seen == ids)

        // 2024-09-30 … 2024-10-08 09:00: eight occurrences ended unchecked (Mon–Fri, then Mon, Tue… Tuesday 10-08 08:30 too).
        while try await h.dispatcher.fireDueTimers() > 0 {}
        func missedPage(_ token: String, from: String = "2024-09-01") async throws -> Reply<Xinyu_Facilities_V1_ListMissedDutiesResponse> {
            try await h.call("ListMissedDuties", Xinyu_Facilities_V1_ListMissedDutiesRequest.with { $0.from = from; $0.to = "2024-12-31"; $0.limit = 3; $0.pageToken = token },
                             as: Xinyu_Facilities_V1_ListMissedDutiesResponse.self)
        }
        var days: [String] = []
        token = ""
        var pages = 0
        repeat {
            let page = try await missedPage(token)
            #expect(page.code == .ok)
            days += page.value.missed.map(\.day)
            token = page.value.nextPageToken
            pages += 1
            if pages == 1 {
                let other = try await missedPage(token, from: "2024-10-01")
                #expect(other.code == .invalidArgument && other.message.contains("page_token"))
            }
        } while !token.isEmpty
        #expect(days == ["2024-09-30", "2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04", "2024-10-07", "2024-10-08"])
        #expect(pages == 3)
    }

    @Test("rectification tasks come in pages, by deadline")
    func rectifications() async throws {
        let h = try FacilitiesHarness()
        await h.dispatcher.runStartTasks()
        let inspection = try await h.call("ScheduleInspection", Xinyu_Facilities_V1_ScheduleInspectionRequest.with { $0.schoolID = "A"; $0.team = ["督导甲"] },
                                          as: Xinyu_Facilities_V1_Inspection.self)
        #expect(inspection.code == .ok, "\(inspection.message)")
        let deadlines = ["duty": "2024-11-03", "archives": "2024-11-01", "room": "2024-11-02"]
        let recorded = try await h.call("RecordFindings", Xinyu_Facilities_V1_RecordFindingsRequest.with {
            $0.inspectionID = inspection.value.id
            $0.findings = ["duty", "archives", "room", "confidential"].map { item in
                Xinyu_Facilities_V1_Finding.with {
                    $0.itemID = item; $0.score = item == "confidential" ? 10 : 5
                    if let deadline = deadlines[item] { $0.rectify = .with { $0.ownerID = "T001"; $0.deadline = deadline; $0.description_p = "整改 \(item)" } }
                }
            }
        }, as: Xinyu_Facilities_V1_Inspection.self)
        #expect(recorded.code == .ok, "\(recorded.message)")
        let first = try await h.call("ListRectifications", Xinyu_Facilities_V1_ListRectificationsRequest.with { $0.schoolID = "A"; $0.limit = 2 },
                                     as: Xinyu_Facilities_V1_ListRectificationsResponse.self)
        #expect(first.value.tasks.map(\.deadline) == ["2024-11-01", "2024-11-02"] && !first.value.nextPageToken.isEmpty)
        let second = try await h.call("ListRectifications", Xinyu_Facilities_V1_ListRectificationsRequest.with { $0.schoolID = "A"; $0.limit = 2; $0.pageToken = first.value.nextPageToken },
                                      as: Xinyu_Facilities_V1_ListRectificationsResponse.self)
        #expect(second.value.tasks.map(\.deadline) == ["2024-11-03"] && second.value.nextPageToken.isEmpty)
        let overdue = try await h.call("ListRectifications", Xinyu_Facilities_V1_ListRectificationsRequest.with { $0.schoolID = "A"; $0.overdueOnly = true; $0.pageToken = first.value.nextPageToken },
                                       as: Xinyu_Facilities_V1_ListRectificationsResponse.self)
        #expect(overdue.code == .invalidArgument && overdue.message.contains("page_token"))
    }
}
