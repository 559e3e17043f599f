import Foundation
import GRDB
import Testing
import XinyuCrisisAPI
import XinyuDirectory
import XinyuPluginSDK
import XinyuWire

/// ListMyWork, the daily workbench: everything the caller owes, most urgent first, within their
/// scope and permissions, deadlines shown in the city's time zone.
@Suite("The workbench (ListMyWork)")
struct WorkbenchTests {
    static let psychPermissions: Set<String> = ["crisis.case.read", "crisis.case.write", "crisis.level.read", "crisis.level.write",
                                                "crisis.concern.ack", "crisis.leave.write"]
    /// School A's psych teacher (the one who opened everything below).
    static let schoolPsych = Principal(id: "staff:P001", kind: .person, roles: ["psych_teacher"], permissions: psychPermissions,
                                      scopes: [DataScope(kind: "school", ids: ["A"])])
    /// Another psych teacher of school A.
    static let colleague = Principal(id: "staff:P003", kind: .person, roles: ["psych_teacher"], permissions: psychPermissions,
                                     scopes: [DataScope(kind: "school", ids: ["A"])])
    /// School B's psych teacher.
    static let otherSchool = Principal(id: "staff:P900", kind: .person, roles: ["psych_teacher"], permissions: psychPermissions,
                                       scopes: [DataScope(kind: "school", ids: ["B"])])
    /// School A's principal: approves plans and returns.
    static let head = Principal(id: "staff:H001", kind: .person, roles: ["principal"],
                                permissions: ["crisis.case.read", "crisis.level.read", "crisis.plan.approve", "crisis.leave.write"],
                                scopes: [DataScope(kind: "school", ids: ["A"])])

    func work(_ h: CrisisHarness, _ principal: Principal, school: String = "", limit: Int32 = 0) async throws -> Reply<Xinyu_Crisis_V1_ListMyWorkResponse> {
        try await h.call("ListMyWork", Xinyu_Crisis_V1_ListMyWorkRequest.with { $0.schoolID = school; $0.limit = limit },
                         as: Xinyu_Crisis_V1_ListMyWorkResponse.self, principal: principal)
    }

    func expectOK<T>(_ reply: Reply<T>, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.code == .ok, "\(reply.message)", sourceLocation: sourceLocation)
    }

    /// At 09:00 on 2024-10-08 (Ningbo): S1 at level 1 with an unassigned case (assign by 10:00)
    /// and a plan (a follow-up due today, the plan's approval pending); S3 at level 3 with its
    /// review due yesterday, on leave and applying to return; a concern about S2 (acknowledge by 11:00).
    func seedWork(_ h: CrisisHarness) async throws -> (case: Xinyu_Crisis_V1_Case, concern: Xinyu_Crisis_V1_Concern) {
        let opened = try await h.levelOneCase("S1")
        expectOK(try await h.call("SavePlan", Xinyu_Crisis_V1_SavePlanRequest.with {
            $0.caseID = opened.id; $0.goals = ["情绪稳定"]; $0.measures = [.with { $0.description_p = "每日课间关注"; $0.responsibleID = "T001" }]
            $0.followUpStart = "2024-10-08"; $0.followUpIntervalDays = 7; $0.followUpCount = 2
        }, as: Xinyu_Crisis_V1_Plan.self))
        expectOK(try await h.call("SetWarningLevel", Xinyu_Crisis_V1_SetWarningLevelRequest.with {
            $0.studentID = "S3"; $0.level = 3; $0.reason = "班主任反映睡眠差"
        }, as: Xinyu_Crisis_V1_WarningLevel.self))
        // The review came due yesterday (the schedule is the level's; only its date is moved back).
        try h.database.writeSync { db in try db.execute(sql: "UPDATE crisis_levels SET review_due = '2024-10-07' WHERE student_id = 'S3'") }
        expectOK(try await h.call("StartLeave", Xinyu_Crisis_V1_StartLeaveRequest.with { $0.studentID = "S3"; $0.startedOn = "2024-09-01"; $0.reason = "病休" },
                                  as: Xinyu_Crisis_V1_Leave.self))
        expectOK(try await h.call("ApplyForReturn", Xinyu_Crisis_V1_ApplyForReturnRequest.with { $0.studentID = "S3"; $0.appliedOn = "2024-10-08" },
                                  as: Xinyu_Crisis_V1_Leave.self))
        let concern = try await h.call("RaiseConcern", Xinyu_Crisis_V1_RaiseConcernRequest.with { $0.studentID = "S2"; $0.description_p = "午饭常一个人" },
                                       as: Xinyu_Crisis_V1_Concern.self, principal: classTeacher)
        expectOK(concern)
        return (opened, concern.value)
    }

    @Test("a school psych teacher's morning: overdue review, case to assign, concern, follow-up due today, return to assess — in that order, in Ningbo time")
    func psychTeacherMorning() async throws {
        let h = try CrisisHarness()
        let seeded = try await seedWork(h)
        let reply = try await work(h, Self.schoolPsych)
        expectOK(reply)
        let items = reply.value.items
        #expect(items.map(\.kind) == [.reviewDue, .caseToAssign, .concernToAcknowledge, .followUpDue, .returnToAssess])
        #expect(items.map(\.studentID) == ["S3", "S1", "S2", "S1", "S3"])
        #expect(reply.value.total == 5 && reply.value.today == "2024-10-08" && reply.value.timeZone == "Asia/Shanghai")
        #expect(items[0].overdue && items[0].dueLocal == "2024-10-08 00:00" && items[0].level == 3)
        #expect(items[1].refID == seeded.case.id && items[1].dueLocal == "2024-10-08 10:00" && !items[1].overdue && items[1].level == 1)
        #expect(items[1].studentName == "张伟" && items[2].studentName == "李娜", "names from the directory, UTF-8 intact")
        #expect(items[2].refID == seeded.concern.id && items[2].dueLocal == "2024-10-08 11:00")
        #expect(items[3].dueLocal == "2024-10-09 00:00" && items[3].level == 1)
        #expect(items[4].dueAtMs == 0 && items[4].dueLocal == "" && !items[4].overdue)
        #expect(Set(reply.subjects) == ["S1", "S2", "S3"], "the students shown are reported for the audit trail")

        let limited = try await work(h, Self.schoolPsych, limit: 2)
        #expect(limited.value.items.map(\.kind) == [.reviewDue, .caseToAssign] && limited.value.total == 5)
        let tooMany = try await work(h, Self.schoolPsych, limit: 5000)
        #expect(tooMany.code == .invalidArgument && tooMany.message.contains("limit"), "\(tooMany.message)")
    }

    @Test("only what scope and permissions allow: the principal decides the approval and the return; school B and a class teacher owe nothing")
    func scopeAndPermissions() async throws {
        let h = try CrisisHarness()
        _ = try await seedWork(h)
        let head = try await work(h, Self.head)
        expectOK(head)
        // Neither has a deadline: S1's level 1 before S3's level 3.
        #expect(head.value.items.map(\.kind) == [.approvalToDecide, .returnToAssess])
        #expect(head.value.items.first?.what == "plan approval to decide")
        let requester = try await work(h, Self.schoolPsych.with(permissions: Self.psychPermissions.union(["crisis.plan.approve"])))
        #expect(!requester.value.items.contains { $0.kind == .approvalToDecide }, "nobody decides their own request")
        #expect(try await work(h, Self.otherSchool).value.items.isEmpty)
        #expect(try await work(h, classTeacher).value.items.isEmpty)
        #expect(try await work(h, psych, school: "B").value.items.isEmpty, "the school filter")
    }

    @Test("an owned case's review and follow-ups are the owner's, not a colleague's")
    func ownerWork() async throws {
        let h = try CrisisHarness()
        let seeded = try await seedWork(h)
        try h.database.writeSync { db in try DirectorySeed.staff(db, id: "P003", name: "周老师", schoolID: "A") }
        expectOK(try await h.call("AssignCase", Xinyu_Crisis_V1_AssignCaseRequest.with { $0.caseID = seeded.case.id; $0.ownerID = "P001" },
                                  as: Xinyu_Crisis_V1_Case.self))
        let owner = try await work(h, Self.schoolPsych).value.items
        #expect(owner.map(\.kind) == [.reviewDue, .concernToAcknowledge, .followUpDue, .returnToAssess])
        let colleague = try await work(h, Self.colleague).value.items
        #expect(colleague.map(\.kind) == [.reviewDue, .concernToAcknowledge, .returnToAssess], "S1's follow-up is the owner's")
    }

    @Test("the growth centre owes the city's list: city-tier cases without an owner and concerns escalated to it")
    func growthCentre() async throws {
        let h = try CrisisHarness()
        let seeded = try await seedWork(h)
        let before = try await work(h, supervisor).value.items
        #expect(before.map(\.kind) == [.approvalToDecide, .returnToAssess], "school-tier work is the school's")
        h.clock.advance(by: .seconds(61 * 60))      // the case climbs to the city tier
        try await h.dispatcher.fireDueTimers()
        h.clock.advance(by: .seconds(59 * 60))      // 11:00: the concern escalates; school A has no psych lead
        try await h.dispatcher.fireDueTimers()
        let after = try await work(h, supervisor).value.items
        #expect(after.map(\.kind) == [.concernToAcknowledge, .caseToAssign, .approvalToDecide, .returnToAssess])
        #expect(after[0].refID == seeded.concern.id && after[0].overdue && after[0].what == "concern escalated to the growth centre")
        #expect(after[1].refID == seeded.case.id && !after[1].overdue && after[1].dueLocal == "2024-10-08 11:01")
        #expect(after[1].what == "level 1 case at the city tier has no owner")
        let school = try await work(h, Self.schoolPsych).value.items
        #expect(!school.contains { $0.kind == .concernToAcknowledge }, "escalated past the school: the growth centre's now")
    }
}

extension Principal {
    /// The same principal with other permissions.
    func with(permissions: Set<String>) -> Principal {
        Principal(id: id, kind: kind, roles: roles, permissions: permissions, scopes: scopes)
    }
}
