import Foundation
import Testing
import XinyuHomeschoolAPI
import XinyuPluginSDK
import XinyuWire

/// Parent education: events, guardians registering from the directory, attendance counted per school and city.
@Suite("Parent education")
struct ParentEducationTests {
    @Test("attendance counts: registered and attended per event, per school and for the city; bad guardians are refused by position")
    func attendanceCounts() async throws {
        let h = try HomeschoolHarness()
        let lecture = try await h.call("ScheduleParentEvent", Xinyu_Homeschool_V1_ScheduleParentEventRequest.with {
            $0.kind = .lecture; $0.title = "家庭教育大讲堂：青春期沟通"; $0.heldOn = "2026-10-20"
        }, as: Xinyu_Homeschool_V1_ParentEvent.self)
        #expect(lecture.code == .ok && lecture.value.title == "家庭教育大讲堂：青春期沟通", "\(lecture.message)")
        let salon = try await h.call("ScheduleParentEvent", Xinyu_Homeschool_V1_ScheduleParentEventRequest.with {
            $0.kind = .salon; $0.title = "十月家长沙龙"; $0.heldOn = "2026-10-25"; $0.schoolID = "A"
        }, as: Xinyu_Homeschool_V1_ParentEvent.self)
        let mother = try h.guardianID("S1", "母亲"), father = try h.guardianID("S1", "父亲"), s2Mother = try h.guardianID("S2", "母亲")
        for (event, student, guardian) in [(lecture.value.id, "S1", mother), (lecture.value.id, "S1", father), (lecture.value.id, "S2", s2Mother), (salon.value.id, "S1", mother)] {
            let r = try await h.call("RegisterGuardian", Xinyu_Homeschool_V1_RegisterGuardianRequest.with { $0.eventID = event; $0.studentID = student; $0.guardianID = guardian },
                                     as: Xinyu_Homeschool_V1_Registration.self)
            #expect(r.code == .ok, "\(r.message)")
        }
        let twice = try await h.call("RegisterGuardian", Xinyu_Homeschool_V1_RegisterGuardianRequest.with { $0.eventID = lecture.value.id; $0.studentID = "S1"; $0.guardianID = mother },
                                     as: Xinyu_Homeschool_V1_Registration.self)
        #expect(twice.code == .alreadyExists)
        let wrongChild = try await h.call("RegisterGuardian", Xinyu_Homeschool_V1_RegisterGuardianRequest.with { $0.eventID = lecture.value.id; $0.studentID = "S3"; $0.guardianID = mother },
                                          as: Xinyu_Homeschool_V1_Registration.self)
        #expect(wrongChild.code == .invalidArgument && wrongChild.message.contains("guardian_id"))

        let notRegistered = try await h.call("RecordAttendance", Xinyu_Homeschool_V1_RecordAttendanceRequest.with { $0.eventID = salon.value.id; $0.guardianIds = [mother, father] },
                                             as: Xinyu_Homeschool_V1_RecordAttendanceResponse.self)
        #expect(notRegistered.code == .invalidArgument && notRegistered.message.contains("guardian_ids[2]"), "\(notRegistered.message)")
        #expect(try h.count("homeschool_parent_registrations", "attended = 1") == 0, "a refused call changes nothing")
        let attended = try await h.call("RecordAttendance", Xinyu_Homeschool_V1_RecordAttendanceRequest.with { $0.eventID = lecture.value.id; $0.guardianIds = [mother, s2Mother] },
                                        as: Xinyu_Homeschool_V1_RecordAttendanceResponse.self)
        #expect(attended.code == .ok && attended.value.registered == 3 && attended.value.attended == 2, "\(attended.message)")
        _ = try await h.call("RecordAttendance", Xinyu_Homeschool_V1_RecordAttendanceRequest.with { $0.eventID = salon.value.id; $0.guardianIds = [mother] },
                             as: Xinyu_Homeschool_V1_RecordAttendanceResponse.self)

        let p = try await h.call("GetParticipation", Xinyu_Homeschool_V1_GetParticipationRequest(), as: Xinyu_Homeschool_V1_GetParticipationResponse.self)
        #expect(p.code == .ok, "\(p.message)")
        #expect(p.value.schools.map(\.schoolID) == ["A"])
        #expect(p.value.total.registered == 4 && p.value.total.attended == 3 && p.value.total.guardiansAttended == 2)
        #expect(p.value.eventsByKind == ["lecture": 1, "salon": 1])
    }

    @Test("a class teacher cannot schedule a city-wide event")
    func cityWideNeedsCityScope() async throws {
        let h = try HomeschoolHarness()
        let teacher = Principal(id: "staff:T001", kind: .person, roles: ["class_teacher"], permissions: ["homeschool.parented.write"], scopes: [DataScope(kind: "class", ids: ["C1"])])
        let r = try await h.call("ScheduleParentEvent", Xinyu_Homeschool_V1_ScheduleParentEventRequest.with { $0.kind = .microLesson; $0.title = "微课 1"; $0.heldOn = "2026-10-20" },
                                 as: Xinyu_Homeschool_V1_ParentEvent.self, principal: teacher)
        #expect(r.code == .permissionDenied)
        #expect(try h.count("homeschool_parent_events") == 0)
    }
}
