import Foundation
import GRDB
import Testing
import XinyuCrisisAPI
import XinyuPluginSDK
import XinyuWire

/// Deadlines run on durable timers: scheduled with the case or concern, moved with its tier,
/// cancelled when met, and created at start-up for rows an older version wrote.
@Suite("Escalation timers")
struct EscalationTimerTests {
    func detail(_ h: CrisisHarness, _ id: String) async throws -> Xinyu_Crisis_V1_CaseDetail {
        try await h.call("GetCase", Xinyu_Crisis_V1_GetCaseRequest.with { $0.caseID = id }, as: Xinyu_Crisis_V1_CaseDetail.self).value
    }

    func escalations(_ h: CrisisHarness, _ topic: String = "crisis.case.escalated") throws -> Int {
        try h.topics().filter { $0 == topic }.count
    }

    func pendingTimers(_ h: CrisisHarness) throws -> [String] {
        try h.database.readSync { db in
            try String.fetchAll(db, sql: "SELECT key FROM xinyu_timers WHERE owner = 'crisis' AND fired_at_ms IS NULL ORDER BY key")
        }
    }

    @Test("opening a case schedules its assignment timer; assigning cancels it, so it never escalates")
    func assignedCaseNeverEscalates() async throws {
        let h = try CrisisHarness()
        let opened = try await h.levelOneCase()
        #expect(try pendingTimers(h) == ["case-\(opened.id)-assignment"])
        let assigned = try await h.call("AssignCase", Xinyu_Crisis_V1_AssignCaseRequest.with { $0.caseID = opened.id; $0.ownerID = "P001" }, as: Xinyu_Crisis_V1_Case.self)
        #expect(assigned.code == .ok, "\(assigned.message)")
        #expect(try pendingTimers(h).isEmpty)
        h.clock.advance(by: .seconds(86400))
        #expect(try await h.dispatcher.fireDueTimers() == 0)
        #expect(try escalations(h) == 0)
        #expect(try await detail(h, opened.id).case.tier == .school)
    }

    @Test("a manual tier change moves the deadline and its timer; escalation then climbs tier by tier to the city")
    func tierChangeMovesTheTimer() async throws {
        let h = try CrisisHarness()
        let opened = try await h.levelOneCase()                           // school tier, due at +60 min
        h.clock.advance(by: .seconds(30 * 60))
        let down = try await h.call("DeescalateCase", Xinyu_Crisis_V1_ChangeTierRequest.with { $0.caseID = opened.id; $0.reason = "班主任先跟进" }, as: Xinyu_Crisis_V1_Case.self)
        #expect(down.value.tier == .class)                                  // class tier, due at +90 min
        h.clock.advance(by: .seconds(31 * 60))                              // +61: the old deadline has passed
        try await h.dispatcher.fireDueTimers()
        #expect(try escalations(h) == 1, "only the manual change")
        h.clock.advance(by: .seconds(30 * 60))                              // +91
        try await h.dispatcher.fireDueTimers()
        #expect(try await detail(h, opened.id).case.tier == .school)
        h.clock.advance(by: .seconds(60 * 60))                              // +151
        try await h.dispatcher.fireDueTimers()
        #expect(try await detail(h, opened.id).case.tier == .city)
        #expect(try escalations(h) == 3)
        #expect(try pendingTimers(h).isEmpty, "the city tier is the top: nothing left to escalate")
    }

    @Test("closing an unassigned case cancels its assignment timer in the same transaction, so it never escalates")
    func closedCaseNeverEscalates() async throws {
        let h = try CrisisHarness()
        let opened = try await h.levelOneCase()
        #expect(try pendingTimers(h) == ["case-\(opened.id)-assignment"])
        let closure = try await h.call("RequestApproval", Xinyu_Crisis_V1_RequestApprovalRequest.with { $0.caseID = opened.id; $0.subject = .closure; $0.reason = "结案" },
                                       as: Xinyu_Crisis_V1_Approval.self)
        #expect(closure.code == .ok, "\(closure.message)")
        let decided = try await h.call("DecideApproval", Xinyu_Crisis_V1_DecideApprovalRequest.with { $0.approvalID = closure.value.id; $0.approve = true },
                                       as: Xinyu_Crisis_V1_Approval.self, principal: supervisor)
        #expect(decided.code == .ok, "\(decided.message)")
        #expect(try await detail(h, opened.id).case.status == .closed)
        #expect(try pendingTimers(h).isEmpty, "a closed case keeps no assignment timer")
        h.clock.advance(by: .seconds(86400))
        #expect(try await h.dispatcher.fireDueTimers() == 0)
        #expect(try escalations(h) == 0)
    }

    @Test("an acknowledged concern is never escalated")
    func acknowledgedConcern() async throws {
        let h = try CrisisHarness()
        let raised = try await h.call("RaiseConcern", Xinyu_Crisis_V1_RaiseConcernRequest.with { $0.studentID = "S1"; $0.description_p = "上课走神" },
                                      as: Xinyu_Crisis_V1_Concern.self, principal: classTeacher)
        #expect(try pendingTimers(h) == ["concern-\(raised.value.id)-acknowledgement"])
        let ack = try await h.call("AcknowledgeConcern", Xinyu_Crisis_V1_AcknowledgeConcernRequest.with { $0.concernID = raised.value.id; $0.note = "已约谈" }, as: Xinyu_Crisis_V1_Concern.self)
        #expect(ack.code == .ok)
        h.clock.advance(by: .seconds(86400))
        #expect(try await h.dispatcher.fireDueTimers() == 0)
        #expect(try escalations(h, "crisis.concern.escalated") == 0)
    }

    @Test("cases and concerns from before timers (an upgraded database) get timers at start-up and still escalate")
    func upgradedDatabase() async throws {
        let h = try CrisisHarness()
        let opened = try await h.levelOneCase()
        let raised = try await h.call("RaiseConcern", Xinyu_Crisis_V1_RaiseConcernRequest.with { $0.studentID = "S2"; $0.description_p = "情绪低落" },
                                      as: Xinyu_Crisis_V1_Concern.self, principal: classTeacher)
        #expect(raised.code == .ok)
        // As an older version left them: deadlines in the rows, no timers.
        try h.database.writeSync { db in try db.execute(sql: "DELETE FROM xinyu_timers") }
        h.clock.advance(by: .seconds(3 * 60 * 60))
        #expect(try await h.dispatcher.fireDueTimers() == 0)
        await h.dispatcher.runStartTasks()
        #expect(try pendingTimers(h).count == 2)
        await h.dispatcher.runStartTasks()
        #expect(try pendingTimers(h).count == 2, "a second start schedules nothing more")
        #expect(try await h.dispatcher.fireDueTimers() == 2)
        #expect(try await detail(h, opened.id).case.tier == .city)
        #expect(try escalations(h, "crisis.concern.escalated") == 1)
    }
}
