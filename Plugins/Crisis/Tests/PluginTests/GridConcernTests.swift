import GRDB
import Testing
import XinyuCrisisAPI
import XinyuDirectory
import XinyuPluginSDK
import XinyuWire

@Suite("Heart-grid mentors (心网格) raise concerns about their own students")
struct GridConcernTests {
    @Test("a mentor reaches the students of their grid and no others")
    func mentorRaisesConcern() async throws {
        let h = try CrisisHarness()
        try h.database.writeSync { db in
            try DirectorySeed.gridMember(db, mentorID: "T002", studentID: "S2")
            try DirectorySeed.gridMember(db, mentorID: "T002", studentID: "S3")
        }
        let mentor = Principal(id: "staff:T002", kind: .person, roles: ["mentor"], permissions: ["crisis.concern.write"],
                               scopes: [DataScope(kind: "grid", ids: ["T002"])])
        func raise(_ student: String) async throws -> Reply<Xinyu_Crisis_V1_Concern> {
            try await h.call("RaiseConcern", Xinyu_Crisis_V1_RaiseConcernRequest.with { $0.studentID = student; $0.description_p = "最近常独处" },
                             as: Xinyu_Crisis_V1_Concern.self, principal: mentor)
        }
        let own = try await raise("S2")
        #expect(own.code == .ok, "\(own.message)")
        #expect(own.value.raisedBy == "staff:T002")
        let other = try await raise("S1")
        #expect(other.code == .notFound && other.message == "student S1 not found")
        // The psych teacher sees the concern the mentor raised.
        let list = try await h.call("ListConcerns", Xinyu_Crisis_V1_ListConcernsRequest(), as: Xinyu_Crisis_V1_ListConcernsResponse.self)
        #expect(list.value.concerns.map(\.studentID) == ["S2"])
    }
}
