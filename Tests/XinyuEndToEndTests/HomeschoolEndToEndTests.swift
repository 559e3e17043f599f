import Foundation
import SwiftProtobuf
import Testing
import XinyuClient
import XinyuCoreAPI
import XinyuCrisisAPI
import XinyuHomeschoolAPI
import XinyuWire

/// The homeschool plugin as a real process behind the real host, with crisis: a level-1 warning
/// owes a special visit, the visit reaches crisis' archive, and crisis' referrals check the
/// guardian consent registry.
@Suite("Homeschool through the real host, with crisis", .serialized)
struct HomeschoolEndToEndTests {
    static let homeschool = "xinyu.homeschool.v1.Homeschool/"
    static let crisis = "xinyu.crisis.v1.Crisis/"

    /// A client holding the e2e tester's role (crisis.*, directory.*) and every homeschool permission, city scope.
    func client(_ host: RunningHost) async throws -> XinyuClient {
        try await host.addRole("homeschool_tester", permissions: ["homeschool.*"])
        let token = try await host.createPrincipal("e2e:homeschool", roles: ["e2e_tester", "homeschool_tester"], scopes: [("city", [])])
        return try await host.client(token: token)
    }

    /// S1 (born 2009) in class C-10-1 with its class teacher T001, and S1's mother.
    func seed(_ client: XinyuClient) async throws -> Int64 {
        let rosters: [(Xinyu_Directory_V1_RosterKind, String)] = [
            (.schools, "school_id,name,district,kind\nNB-001,宁波市第一中学,海曙区,senior\n"),
            (.staff, "staff_id,name,school_id\nP001,陈老师,NB-001\nT001,王老师,NB-001\n"),
            (.classes, "class_id,school_id,grade,name,homeroom_teacher_id\nC-10-1,NB-001,10,1班,T001\n"),
            (.students, "学籍号,姓名,性别,出生日期,学校代码,班级代码\nS1,张伟,男,2009-04-23,NB-001,C-10-1\nS2,李娜,女,2009-02-11,NB-001,C-10-1\n"),
        ]
        for (kind, csv) in rosters {
            var request = Xinyu_Directory_V1_ImportRosterRequest()
            request.kind = kind
            request.csv = Data(csv.utf8)
            for try await event in try client.stream("xinyu.directory.v1.Directory/ImportRoster", request, as: Xinyu_Directory_V1_ImportRosterEvent.self) {
                if case .report(let r)? = event.event { #expect(r.errors.isEmpty, "\(r.errors)") }
            }
        }
        var guardian = Xinyu_Directory_V1_CreateGuardianRequest()
        guardian.guardian = .with { $0.studentID = "S1"; $0.name = "李梅"; $0.relation = "母亲"; $0.phone = "13800000001" }
        return try await client.call("xinyu.directory.v1.Directory/CreateGuardian", guardian, as: Xinyu_Directory_V1_Guardian.self).id
    }

    @Test("a level-1 warning owes one special visit; the visit with three acknowledgements closes it and appears in crisis' archive")
    func specialVisitFromCrisis() async throws {
        let host = try await RunningHost(plugins: ["crisis", "homeschool"])
        let client = try await client(host)
        let mother = try await seed(client)

        var submission = Xinyu_Crisis_V1_ScreeningSubmission()
        submission.studentID = "S1"
        submission.instrumentID = "phq-a"
        submission.answers = [1, 0, 1, 0, 1, 0, 1, 0, 2]
        let submitted = try await client.call(Self.crisis + "SubmitScreening", Xinyu_Crisis_V1_SubmitScreeningRequest.with { $0.submission = submission },
                                              as: Xinyu_Crisis_V1_SubmitScreeningResponse.self)
        #expect(submitted.level.level == 1)

        let list = Xinyu_Homeschool_V1_ListSpecialVisitsRequest.with { $0.studentID = "S1" }
        try await waitUntil("the special visit owed for S1", timeout: .seconds(20)) {
            (try? await client.call(Self.homeschool + "ListSpecialVisits", list, as: Xinyu_Homeschool_V1_ListSpecialVisitsResponse.self).specialVisits.count) == 1
        }
        let owed = try await client.call(Self.homeschool + "ListSpecialVisits", list, as: Xinyu_Homeschool_V1_ListSpecialVisitsResponse.self).specialVisits
        #expect(owed.count == 1 && owed[0].assigneeID == "T001" && owed[0].status == .open)

        let today = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "Asia/Shanghai")!, formatOptions: [.withFullDate])
        let visit = try await client.call(Self.homeschool + "RecordVisit", Xinyu_Homeschool_V1_RecordVisitRequest.with {
            $0.studentID = "S1"; $0.mode = .inPerson; $0.met = ["母亲"]; $0.visitors = ["T001"]; $0.specialVisitID = owed[0].id
            $0.acknowledgements = [Xinyu_Homeschool_V1_Responsibility.informed, .treatment, .safety].map { r in
                .with { $0.responsibility = r; $0.guardianID = mother; $0.acknowledgedOn = today; $0.evidenceRef = "特殊家访记录 2026-01" }
            }
        }, as: Xinyu_Homeschool_V1_Visit.self)
        #expect(visit.acknowledgements.count == 3 && visit.acknowledgements.allSatisfy { $0.relation == "母亲" })
        let closed = try await client.call(Self.homeschool + "ListSpecialVisits", list, as: Xinyu_Homeschool_V1_ListSpecialVisitsResponse.self).specialVisits
        #expect(closed.map(\.status) == [.done])

        let archive = Xinyu_Crisis_V1_GetArchiveRequest.with { $0.studentID = "S1" }
        try await waitUntil("the visit in crisis' archive", timeout: .seconds(20)) {
            (try? await client.call(Self.crisis + "GetArchive", archive, as: Xinyu_Crisis_V1_GetArchiveResponse.self).entries.contains { $0.ref == "visit:\(visit.id)" }) == true
        }

        let coverage = try await client.call(Self.homeschool + "GetCoverage", Xinyu_Homeschool_V1_GetCoverageRequest(), as: Xinyu_Homeschool_V1_GetCoverageResponse.self)
        #expect(coverage.total.students == 2 && coverage.total.visited == 1)
        #expect(try await host.stop() == 0)
    }

    @Test("a concern found on a home visit raises one concern in crisis, for the psych teacher to acknowledge")
    func visitConcernReachesCrisis() async throws {
        let host = try await RunningHost(plugins: ["crisis", "homeschool"])
        let client = try await client(host)
        _ = try await seed(client)
        let visit = try await client.call(Self.homeschool + "RecordVisit", Xinyu_Homeschool_V1_RecordVisitRequest.with {
            $0.studentID = "S2"; $0.mode = .inPerson; $0.met = ["父亲"]; $0.visitors = ["T001"]; $0.concerns = "孩子近两周常说活着没意思，夜里睡不着"
        }, as: Xinyu_Homeschool_V1_Visit.self)
        #expect(visit.crisisConcernID.isEmpty)
        let raise = Xinyu_Homeschool_V1_RaiseVisitConcernRequest.with { $0.visitID = visit.id }
        let raised = try await client.call(Self.homeschool + "RaiseVisitConcern", raise, as: Xinyu_Homeschool_V1_Visit.self)
        #expect(!raised.crisisConcernID.isEmpty)
        let again = try await client.call(Self.homeschool + "RaiseVisitConcern", raise, as: Xinyu_Homeschool_V1_Visit.self)
        #expect(again.crisisConcernID == raised.crisisConcernID)
        let concerns = try await client.call(Self.crisis + "ListConcerns", Xinyu_Crisis_V1_ListConcernsRequest.with { $0.unacknowledgedOnly = true },
                                             as: Xinyu_Crisis_V1_ListConcernsResponse.self).concerns
        #expect(concerns.map(\.id) == [raised.crisisConcernID] && concerns.map(\.studentID) == ["S2"], "\(concerns)")
        #expect(concerns.first?.raisedBy.contains("homeschool") == true && concerns.first?.description_p.contains("活着没意思") == true)
        // A visit without concerns has nothing to raise.
        let quiet = try await client.call(Self.homeschool + "RecordVisit", Xinyu_Homeschool_V1_RecordVisitRequest.with {
            $0.studentID = "S1"; $0.mode = .online; $0.met = ["母亲"]; $0.visitors = ["T001"]
        }, as: Xinyu_Homeschool_V1_Visit.self)
        await #expect { _ = try await client.call(Self.homeschool + "RaiseVisitConcern", Xinyu_Homeschool_V1_RaiseVisitConcernRequest.with { $0.visitID = quiet.id },
                                                  as: Xinyu_Homeschool_V1_Visit.self) } throws: { ($0 as? RPCError)?.code == .failedPrecondition }
        #expect(!host.log.contains("活着没意思") && !host.log.contains("李娜"))
        #expect(try await host.stop() == 0)
    }

    @Test("a referral with guardian consent checks the registry: allowed with a consent in force, refused at once after withdrawal")
    func referralChecksConsent() async throws {
        let host = try await RunningHost(plugins: ["crisis", "homeschool"])
        let client = try await client(host)
        let mother = try await seed(client)
        var submission = Xinyu_Crisis_V1_ScreeningSubmission()
        submission.studentID = "S1"
        submission.instrumentID = "phq-a"
        submission.answers = [1, 0, 1, 0, 1, 0, 1, 0, 2]
        _ = try await client.call(Self.crisis + "SubmitScreening", Xinyu_Crisis_V1_SubmitScreeningRequest.with { $0.submission = submission },
                                  as: Xinyu_Crisis_V1_SubmitScreeningResponse.self)
        let opened = try await client.call(Self.crisis + "OpenCase", Xinyu_Crisis_V1_OpenCaseRequest.with { $0.studentID = "S1"; $0.reason = "转介评估" },
                                           as: Xinyu_Crisis_V1_Case.self)
        let referral = Xinyu_Crisis_V1_RequestReferralRequest.with {
            $0.caseID = opened.id; $0.agency = "kangning"; $0.reason = "门诊评估"; $0.legalBasis = .guardianConsent
        }
        await #expect {
            _ = try await client.call(Self.crisis + "RequestReferral", referral, as: Xinyu_Crisis_V1_Referral.self)
        } throws: { error in
            (error as? RPCError)?.code == .failedPrecondition && (error as? RPCError)?.message.contains("no consent recorded") == true
        }

        let consent = try await client.call(Self.homeschool + "RecordConsent", Xinyu_Homeschool_V1_RecordConsentRequest.with {
            $0.studentID = "S1"; $0.purpose = "referral"; $0.agency = "kangning"; $0.scope = "筛查结果, 个案摘要"; $0.sensitive = true
            $0.guardianID = mother; $0.evidenceRef = "知情同意书 2026-12"
        }, as: Xinyu_Homeschool_V1_Consent.self)
        let made = try await client.call(Self.crisis + "RequestReferral", referral, as: Xinyu_Crisis_V1_Referral.self)
        #expect(made.legalBasis == .guardianConsent && made.consentRecord.contains("homeschool consent \(consent.id)") && made.consentBy.contains("母亲"))

        _ = try await client.call(Self.homeschool + "WithdrawConsent", Xinyu_Homeschool_V1_WithdrawConsentRequest.with { $0.consentID = consent.id; $0.reason = "家长撤回" },
                                  as: Xinyu_Homeschool_V1_Consent.self)
        await #expect {
            _ = try await client.call(Self.crisis + "RequestReferral", referral, as: Xinyu_Crisis_V1_Referral.self)
        } throws: { error in
            (error as? RPCError)?.code == .failedPrecondition && (error as? RPCError)?.message.contains("withdrawn") == true
        }
        // The emergency basis is as before: it does not ask the registry.
        let emergency = try await client.call(Self.crisis + "RequestReferral", Xinyu_Crisis_V1_RequestReferralRequest.with {
            $0.caseID = opened.id; $0.agency = "kangning"; $0.reason = "急诊"; $0.urgent = true; $0.legalBasis = .emergency; $0.emergencyReason = "自伤风险, 监护人联系不上"
        }, as: Xinyu_Crisis_V1_Referral.self)
        #expect(emergency.legalBasis == .emergency)
        #expect(try await host.stop() == 0)
    }
}
