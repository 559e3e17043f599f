import Foundation
import Testing
import XinyuHomeschoolAPI
import XinyuPluginSDK
import XinyuWire

/// Every student's home visit: recorded with who and how, published for crisis' archive, and
/// counted per class, school and city for the school year.
@Suite("Home visits and coverage")
struct VisitCoverageTests {
    func visit(_ h: HomeschoolHarness, _ student: String, on day: String = "2026-10-08", principal: Principal = cityStaff) async throws -> Reply<Xinyu_Homeschool_V1_Visit> {
        try await h.call("RecordVisit", Xinyu_Homeschool_V1_RecordVisitRequest.with {
            $0.studentID = student
            $0.visitedOn = day
            $0.mode = .inPerson
            $0.met = ["母亲"]
            $0.visitors = ["T001"]
            $0.notes = "学习压力较大"
        }, as: Xinyu_Homeschool_V1_Visit.self, principal: principal)
    }

    @Test("coverage on a small roster: per class, school and city, counting each student once in the school year")
    func coverage() async throws {
        let h = try HomeschoolHarness()
        for (student, day) in [("S1", "2026-10-08"), ("S1", "2026-09-20"), ("S3", "2026-09-15"), ("S2", "2026-06-30")] {
            let r = try await visit(h, student, on: day)
            #expect(r.code == .ok, "\(r.message)")
        }
        let c = try await h.call("GetCoverage", Xinyu_Homeschool_V1_GetCoverageRequest(), as: Xinyu_Homeschool_V1_GetCoverageResponse.self)
        #expect(c.code == .ok, "\(c.message)")
        #expect(c.value.schoolYear == 2026 && c.value.firstDay == "2026-09-01" && c.value.lastDay == "2027-08-31")
        let classes = Dictionary(uniqueKeysWithValues: c.value.classes.map { ($0.classID, ($0.visited, $0.students)) })
        #expect(classes["C1"]! == (1, 3), "S1 twice counts once; S2's visit was last school year")
        #expect(classes["C2"]! == (1, 1))
        #expect(classes["C3"]! == (0, 1))
        let schools = Dictionary(uniqueKeysWithValues: c.value.schools.map { ($0.schoolID, ($0.visited, $0.students)) })
        #expect(schools["A"]! == (2, 4) && schools["B"]! == (0, 1))
        #expect(c.value.total.visited == 2 && c.value.total.students == 5)

        let last = try await h.call("GetCoverage", Xinyu_Homeschool_V1_GetCoverageRequest.with { $0.schoolYear = 2025 }, as: Xinyu_Homeschool_V1_GetCoverageResponse.self)
        #expect(last.value.total.visited == 1)

        let unvisited = try await h.call("ListUnvisited", Xinyu_Homeschool_V1_ListUnvisitedRequest.with { $0.classID = "C1" }, as: Xinyu_Homeschool_V1_ListUnvisitedResponse.self)
        #expect(unvisited.value.studentIds == ["S2", "S5"])
    }

    @Test("a class teacher's coverage covers their class only; another class is not found")
    func scoped() async throws {
        let h = try HomeschoolHarness()
        #expect(try await visit(h, "S1").code == .ok)
        let c = try await h.call("GetCoverage", Xinyu_Homeschool_V1_GetCoverageRequest(), as: Xinyu_Homeschool_V1_GetCoverageResponse.self, principal: classTeacher)
        #expect(c.value.classes.map(\.classID) == ["C1"] && c.value.total.students == 3 && c.value.total.visited == 1)
        let other = try await h.call("ListUnvisited", Xinyu_Homeschool_V1_ListUnvisitedRequest.with { $0.classID = "C2" }, as: Xinyu_Homeschool_V1_ListUnvisitedResponse.self, principal: classTeacher)
        #expect(other.code == .notFound)
        #expect(try await visit(h, "S3", principal: classTeacher).code == .notFound)
    }

    @Test("a recorded visit publishes homeschool.visit.recorded; a planned one completes; bad input names the field and changes nothing")
    func recordAndPublish() async throws {
        let h = try HomeschoolHarness()
        let planned = try await h.call("PlanVisit", Xinyu_Homeschool_V1_PlanVisitRequest.with { $0.studentID = "S1"; $0.plannedOn = "2026-10-20" }, as: Xinyu_Homeschool_V1_Visit.self)
        #expect(planned.code == .ok && planned.value.status == .planned, "\(planned.message)")
        #expect(try h.topics().isEmpty)
        let done = try await h.call("RecordVisit", Xinyu_Homeschool_V1_RecordVisitRequest.with {
            $0.studentID = "S1"; $0.visitID = planned.value.id; $0.mode = .online; $0.met = ["母亲", "祖母"]; $0.concerns = "睡眠不足"
        }, as: Xinyu_Homeschool_V1_Visit.self)
        #expect(done.code == .ok, "\(done.message)")
        #expect(done.value.id == planned.value.id && done.value.status == .done && done.value.met == ["母亲", "祖母"] && done.value.visitedOn == "2026-10-08")
        #expect(try h.topics() == ["homeschool.visit.recorded"])

        let noMode = try await h.call("RecordVisit", Xinyu_Homeschool_V1_RecordVisitRequest.with { $0.studentID = "S1"; $0.met = ["母亲"] }, as: Xinyu_Homeschool_V1_Visit.self)
        #expect(noMode.code == .invalidArgument && noMode.message.contains("mode"), "\(noMode.message)")
        let future = try await h.call("RecordVisit", Xinyu_Homeschool_V1_RecordVisitRequest.with { $0.studentID = "S1"; $0.mode = .inPerson; $0.met = ["母亲"]; $0.visitedOn = "2026-12-01" },
                                      as: Xinyu_Homeschool_V1_Visit.self)
        #expect(future.code == .invalidArgument && future.message.contains("visited_on"))
        let badVisitor = try await h.call("RecordVisit", Xinyu_Homeschool_V1_RecordVisitRequest.with { $0.studentID = "S1"; $0.mode = .inPerson; $0.met = ["母亲"]; $0.visitors = ["X9"] },
                                          as: Xinyu_Homeschool_V1_Visit.self)
        #expect(badVisitor.code == .invalidArgument && badVisitor.message.contains("visitors[1]"))
        #expect(try h.count("homeschool_visits") == 1)
        let listed = try await h.call("ListVisits", Xinyu_Homeschool_V1_ListVisitsRequest.with { $0.studentID = "S1" }, as: Xinyu_Homeschool_V1_ListVisitsResponse.self)
        #expect(listed.value.visits.map(\.concerns) == ["睡眠不足"])
    }
}
