import Foundation
import Testing
import XinyuPartnershipAPI
import XinyuPluginSDK
import XinyuWire

@Suite("Agencies, agreements expiring within 90 days, joint stations")
struct AgencyTests {
    @Test("agreements expiring soon are listed soonest first; expired and later ones are not")
    func agreements() async throws {
        let h = try PartnershipHarness(signAgreements: false)  // today is 2024-10-08 in Ningbo
        let agency = try await h.call("CreateAgency", Xinyu_Partnership_V1_CreateAgencyRequest.with {
            $0.id = "kangning"; $0.kind = .hospital; $0.name = "宁波市康宁医院"; $0.contacts = ["绿色通道值班"]
        }, as: Xinyu_Partnership_V1_Agency.self)
        #expect(agency.code == .ok && agency.value.name == "宁波市康宁医院" && agency.value.contacts == ["绿色通道值班"])
        let again = try await h.call("CreateAgency", Xinyu_Partnership_V1_CreateAgencyRequest.with { $0.id = "kangning"; $0.kind = .hospital; $0.name = "x" }, as: Xinyu_Partnership_V1_Agency.self)
        #expect(again.code == .alreadyExists)
        let badID = try await h.call("CreateAgency", Xinyu_Partnership_V1_CreateAgencyRequest.with { $0.id = "Kang Ning"; $0.kind = .hospital; $0.name = "x" }, as: Xinyu_Partnership_V1_Agency.self)
        #expect(badID.code == .invalidArgument && badID.message.contains("field id"))
        for (signed, expires) in [("2023-01-01", "2024-10-01"), ("2023-01-01", "2025-01-05"), ("2023-01-01", "2024-11-01"), ("2024-01-01", "2026-01-01")] {
            let made = try await h.call("SignAgreement", Xinyu_Partnership_V1_SignAgreementRequest.with {
                $0.agencyID = "kangning"; $0.signedOn = signed; $0.expiresOn = expires; $0.scope = "绿色通道转介"
            }, as: Xinyu_Partnership_V1_Agreement.self)
            #expect(made.code == .ok, "\(made.message)")
        }
        let soon = try await h.call("ListAgreements", Xinyu_Partnership_V1_ListAgreementsRequest.with { $0.expiringSoon = true }, as: Xinyu_Partnership_V1_ListAgreementsResponse.self)
        #expect(soon.value.agreements.map(\.expiresOn) == ["2024-11-01", "2025-01-05"])
        #expect(soon.value.agreements.map(\.daysToExpiry) == [24, 89])
        let all = try await h.call("ListAgreements", Xinyu_Partnership_V1_ListAgreementsRequest(), as: Xinyu_Partnership_V1_ListAgreementsResponse.self)
        #expect(all.value.agreements.count == 4)
        let backwards = try await h.call("SignAgreement", Xinyu_Partnership_V1_SignAgreementRequest.with {
            $0.agencyID = "kangning"; $0.signedOn = "2024-10-01"; $0.expiresOn = "2024-09-01"; $0.scope = "x"
        }, as: Xinyu_Partnership_V1_Agreement.self)
        #expect(backwards.code == .invalidArgument && backwards.message.contains("field expires_on"))
    }

    @Test("a joint station belongs to an agency and a school in the directory")
    func stations() async throws {
        let h = try PartnershipHarness(signAgreements: false)
        _ = try await h.call("CreateAgency", Xinyu_Partnership_V1_CreateAgencyRequest.with { $0.id = "police-haishu"; $0.kind = .police; $0.name = "海曙公安分局" }, as: Xinyu_Partnership_V1_Agency.self)
        let room = try await h.call("CreateJointStation", Xinyu_Partnership_V1_CreateJointStationRequest.with {
            $0.kind = .policeTeacherRoom; $0.agencyID = "police-haishu"; $0.schoolID = "A"; $0.name = "警师活动室"
        }, as: Xinyu_Partnership_V1_JointStation.self)
        #expect(room.code == .ok && room.value.openedOn == "2024-10-08")
        let nowhere = try await h.call("CreateJointStation", Xinyu_Partnership_V1_CreateJointStationRequest.with {
            $0.kind = .flowerSeasonCare; $0.agencyID = "police-haishu"; $0.schoolID = "Z"; $0.name = "花季关护"
        }, as: Xinyu_Partnership_V1_JointStation.self)
        #expect(nowhere.code == .notFound && nowhere.message.contains("field school_id"))
        let listed = try await h.call("ListJointStations", Xinyu_Partnership_V1_ListJointStationsRequest.with { $0.schoolID = "A" }, as: Xinyu_Partnership_V1_ListJointStationsResponse.self)
        #expect(listed.value.stations.map(\.name) == ["警师活动室"])
    }
}
