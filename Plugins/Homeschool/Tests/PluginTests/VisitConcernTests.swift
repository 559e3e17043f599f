import Foundation
import Testing
import XinyuHomeschoolAPI
import XinyuPluginSDK

@Suite("A concern found on a home visit raises a crisis concern, once")
struct VisitConcernTests {
    func record(_ h: HomeschoolHarness, concerns: String) async throws -> Xinyu_Homeschool_V1_Visit {
        let visit = try await h.call("RecordVisit", Xinyu_Homeschool_V1_RecordVisitRequest.with {
            $0.studentID = "S1"; $0.mode = .inPerson; $0.met = ["母亲"]; $0.concerns = concerns
        }, as: Xinyu_Homeschool_V1_Visit.self, principal: classTeacher)
        #expect(visit.code == .ok, "\(visit.message)")
        return visit.value
    }

    func raise(_ h: HomeschoolHarness, _ id: String, principal: Principal = classTeacher) async throws -> Reply<Xinyu_Homeschool_V1_Visit> {
        try await h.call("RaiseVisitConcern", Xinyu_Homeschool_V1_RaiseVisitConcernRequest.with { $0.visitID = id }, as: Xinyu_Homeschool_V1_Visit.self, principal: principal)
    }

    @Test("the visit's concerns go to crisis's RaiseConcern for the student; asking again, or after a lost answer, raises no second")
    func once() async throws {
        let h = try HomeschoolHarness()
        let visit = try await record(h, concerns: "孩子近两周常说活着没意思")
        h.crisis.state.withLockedValue { $0.loseNextAnswer = true }
        let lost = try await raise(h, visit.id)
        #expect(lost.code == .unavailable)
        #expect(try h.count("homeschool_visits", "crisis_concern_id <> ''") == 0)
        let raised = try await raise(h, visit.id)
        #expect(raised.code == .ok, "\(raised.message)")
        #expect(raised.value.crisisConcernID == "1")
        let again = try await raise(h, visit.id)
        #expect(again.code == .ok && again.value.crisisConcernID == "1")
        let sent = h.crisis.state.withLockedValue { $0.concerns }
        #expect(sent.count == 1 && sent[0].key == "homeschool-visit-\(visit.id)-concern")
        #expect(sent[0].request.studentID == "S1" && sent[0].request.description_p.contains("孩子近两周常说活着没意思"))
        let listed = try await h.call("ListVisits", Xinyu_Homeschool_V1_ListVisitsRequest.with { $0.studentID = "S1" }, as: Xinyu_Homeschool_V1_ListVisitsResponse.self)
        #expect(listed.value.visits.map(\.crisisConcernID) == ["1"])
    }

    @Test("a visit without concerns, a planned visit, one outside the caller's scope: refused, and crisis is not called")
    func refused() async throws {
        let h = try HomeschoolHarness()
        let quiet = try await record(h, concerns: "")
        let none = try await raise(h, quiet.id)
        #expect(none.code == .failedPrecondition && none.message.contains("no concerns"))
        let planned = try await h.call("PlanVisit", Xinyu_Homeschool_V1_PlanVisitRequest.with { $0.studentID = "S1"; $0.plannedOn = "2026-10-20" },
                                       as: Xinyu_Homeschool_V1_Visit.self)
        #expect(try await raise(h, planned.value.id).code == .failedPrecondition)
        let other = try await h.call("RecordVisit", Xinyu_Homeschool_V1_RecordVisitRequest.with {
            $0.studentID = "S3"; $0.mode = .online; $0.met = ["父亲"]; $0.concerns = "情绪低落"
        }, as: Xinyu_Homeschool_V1_Visit.self)
        let hidden = try await raise(h, other.value.id)   // S3 is in C2, outside the class teacher's scope
        #expect(hidden.code == .notFound)
        #expect(try await raise(h, "999").code == .notFound)
        #expect(h.crisis.state.withLockedValue { $0.concerns.isEmpty })
    }
}
