import Foundation
import GRDB
import Testing
import XinyuDirectory
import XinyuFacilitiesAPI
import XinyuPluginSDK

@Suite("Room certification coverage")
struct CoverageTests {
    @Test("share of schools with a current certification, schools without one, certifications expiring within the window, sub-centres")
    func coverage() async throws {
        let h = try FacilitiesHarness()
        try h.database.writeSync { db in
            try DirectorySeed.school(db, id: "B", name: "宁波市第二中学", district: "江北区", kind: "senior")
            try DirectorySeed.school(db, id: "C", name: "宁波市第三中学", district: "鄞州区", kind: "senior")
        }
        func room(_ school: String) async throws -> String {
            try await h.call("SaveRoom", Xinyu_Facilities_V1_SaveRoomRequest.with { $0.schoolID = school; $0.name = "辅导室" }, as: Xinyu_Facilities_V1_Room.self).value.id
        }
        // Today is 2024-10-08. A: current until 2024-12-01 (within 90 days); B: current until 2027; C: expired.
        for (school, certified, expires) in [("A", "2022-12-01", "2024-12-01"), ("B", "2024-01-01", "2027-01-01"), ("C", "2020-01-01", "2023-01-01")] {
            let id = try await room(school)
            let reply = try await h.call("CertifyRoom", Xinyu_Facilities_V1_CertifyRoomRequest.with { $0.roomID = id; $0.certifiedOn = certified; $0.expiresOn = expires },
                                         as: Xinyu_Facilities_V1_Room.self)
            #expect(reply.code == .ok)
        }
        let coverage = try await h.call("GetCoverage", Xinyu_Facilities_V1_GetCoverageRequest(), as: Xinyu_Facilities_V1_Coverage.self).value
        #expect(coverage.schools == 3 && coverage.certifiedSchools == 2 && abs(coverage.certifiedShare - 2.0 / 3.0) < 1e-9)
        #expect(coverage.withoutCertifiedRoom.map(\.schoolID) == ["C"])
        #expect(coverage.expiring.map(\.schoolID) == ["A"])
        // A school-scoped reader sees only its school.
        let principal = Principal(id: "staff:P1", kind: .person, permissions: ["facilities.read"], scopes: [DataScope(kind: "school", ids: ["C"])])
        let own = try await h.call("GetCoverage", Xinyu_Facilities_V1_GetCoverageRequest(), as: Xinyu_Facilities_V1_Coverage.self, principal: principal).value
        #expect(own.schools == 1 && own.certifiedSchools == 0 && own.expiring.isEmpty)
        // A bad expiry changes nothing and names the field.
        let bad = try await h.call("CertifyRoom", Xinyu_Facilities_V1_CertifyRoomRequest.with { $0.roomID = "1"; $0.certifiedOn = "2024-10-08"; $0.expiresOn = "2024-01-01" },
                                   as: Xinyu_Facilities_V1_Room.self)
        #expect(bad.code == .invalidArgument && bad.status.message.contains("expires_on"))
    }
}
