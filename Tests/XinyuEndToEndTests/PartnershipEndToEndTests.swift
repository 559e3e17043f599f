import Foundation
import SwiftProtobuf
import Testing
import XinyuClient
import XinyuCoreAPI
import XinyuCrisisAPI
import XinyuPartnershipAPI
import XinyuWire

/// The partnership plugin as a real process behind the real host, beside the real crisis plugin:
/// referrals opened in crisis reach the agency named, with a legal basis only; the agency works
/// them step by step (each step back in crisis's archive); another agency sees nothing; the
/// agency's WatchReferrals stream resumes after a cut; expert-session places are never over-booked;
/// a high-risk hotline call raises a concern in crisis.
@Suite("Partnership with crisis through the real host", .serialized)
struct PartnershipEndToEndTests {
    static let partnership = "xinyu.partnership.v1.Partnership/"
    static let crisis = "xinyu.crisis.v1.Crisis/"

    /// School NB-001 with class C-10-1 and students S1…S`count`.
    func seedDirectory(_ client: XinyuClient, students count: Int = 3) async throws {
        let students = (1...count).map { "S\($0),学生\($0),男,2009-04-23,NB-001,C-10-1" }.joined(separator: "\n")
        let rosters: [(Xinyu_Directory_V1_RosterKind, String)] = [
            (.schools, "school_id,name,district,kind\nNB-001,宁波市第一中学,海曙区,senior\n"),
            (.classes, "class_id,school_id,grade,name\nC-10-1,NB-001,10,1班\n"),
            (.students, "学籍号,姓名,性别,出生日期,学校代码,班级代码\n\(students)\n"),
        ]
        for (kind, csv) in rosters {
            var request = Xinyu_Directory_V1_ImportRosterRequest()
            request.kind = kind
            request.csv = Data(csv.utf8)
            for try await event in try client.stream("xinyu.directory.v1.Directory/ImportRoster", request, as: Xinyu_Directory_V1_ImportRosterEvent.self) {
                if case .report(let r)? = event.event { #expect(r.errors.isEmpty, "\(r.errors)") }
            }
        }
    }

    /// As the growth centre: registers `agency` (a hospital) and signs an agreement covering
    /// referrals, in force today, so that crisis may refer to it.
    static func signReferralAgreement(_ host: RunningHost, agency: String, name: String) async throws {
        let centre = try await host.client(token: try await host.createPrincipal("staff:G-\(agency)", name: "成长中心", roles: ["growth_centre"], scopes: [("city", [])]))
        _ = try await centre.call(partnership + "CreateAgency", Xinyu_Partnership_V1_CreateAgencyRequest.with { $0.id = agency; $0.kind = .hospital; $0.name = name },
                                  as: Xinyu_Partnership_V1_Agency.self)
        _ = try await centre.call(partnership + "SignAgreement", Xinyu_Partnership_V1_SignAgreementRequest.with {
            $0.agencyID = agency; $0.signedOn = "2020-01-01"; $0.expiresOn = "2099-12-31"; $0.scope = "绿色通道转介"; $0.purposes = ["referral"]
        }, as: Xinyu_Partnership_V1_Agreement.self)
        await centre.close()
    }

    func referrals(_ client: XinyuClient) async throws -> [Xinyu_Partnership_V1_Referral] {
        try await client.call(Self.partnership + "ListReferrals", Xinyu_Partnership_V1_ListReferralsRequest(), as: Xinyu_Partnership_V1_ListReferralsResponse.self).referrals
    }

    func step(_ client: XinyuClient, _ id: String, to: Xinyu_Partnership_V1_ReferralStatus,
              _ configure: (inout Xinyu_Partnership_V1_UpdateReferralRequest) -> Void = { _ in }) async throws -> Xinyu_Partnership_V1_Referral {
        var request = Xinyu_Partnership_V1_UpdateReferralRequest()
        request.referralID = id
        request.to = to
        configure(&request)
        return try await client.call(Self.partnership + "UpdateReferral", request, as: Xinyu_Partnership_V1_Referral.self)
    }

    @Test("a referral without a basis never reaches an agency; the full lifecycle lands in crisis's archive; illegal steps and other agencies are refused; the watch resumes")
    func referralLifecycle() async throws {
        let host = try await RunningHost(plugins: ["crisis", "partnership"])
        let school = try await host.client()
        try await seedDirectory(school)
        let hospital = try await host.client(token: try await host.createPrincipal(
            "agency:kangning", kind: .agency, name: "宁波市康宁医院", roles: ["agency_hospital"], scopes: [("agency", ["kangning"])], agencyKind: "hospital"))
        let otherHospital = try await host.client(token: try await host.createPrincipal(
            "agency:seventh", kind: .agency, name: "宁波市第七人民医院", roles: ["agency_hospital"], scopes: [("agency", ["seventh"])], agencyKind: "hospital"))

        // Crisis: S1 at level 1, a case.
        var submission = Xinyu_Crisis_V1_ScreeningSubmission()
        submission.studentID = "S1"
        submission.instrumentID = "phq-a"
        submission.answers = [1, 0, 1, 0, 1, 0, 1, 0, 2]
        _ = try await school.call(Self.crisis + "SubmitScreening", Xinyu_Crisis_V1_SubmitScreeningRequest.with { $0.submission = submission }, as: Xinyu_Crisis_V1_SubmitScreeningResponse.self)
        let opened = try await school.call(Self.crisis + "OpenCase", Xinyu_Crisis_V1_OpenCaseRequest.with { $0.studentID = "S1"; $0.reason = "普测一级预警" }, as: Xinyu_Crisis_V1_Case.self)

        // The agency starts watching before anything is referred.
        var watch: AsyncThrowingStream<Xinyu_Partnership_V1_ReferralChange, Error>.Iterator? =
            try hospital.stream(Self.partnership + "WatchReferrals", Xinyu_Partnership_V1_WatchReferralsRequest(), as: Xinyu_Partnership_V1_ReferralChange.self).makeAsyncIterator()

        // Without a legal basis crisis refuses, and nothing reaches the agency.
        var request = Xinyu_Crisis_V1_RequestReferralRequest()
        request.caseID = opened.id
        request.agency = "kangning"
        request.reason = "需要精神科评估（绿色通道）"
        request.urgent = true
        await #expect { _ = try await school.call(Self.crisis + "RequestReferral", request, as: Xinyu_Crisis_V1_Referral.self) } throws: {
            ($0 as? RPCError)?.code == .invalidArgument && ($0 as? RPCError)?.message.contains("legal_basis") == true
        }
        request.legalBasis = .guardianConsent
        request.consentBy = "母亲 李娜"
        request.consentOn = "2024-10-07"
        request.consentRecord = "心理档案 同意书 2024-031"

        // Agreements limit which agencies receive referrals: crisis asks partnership, and refuses
        // (FAILED_PRECONDITION naming the agreement problem) until one in force covers referrals.
        let centre = try await host.client(token: try await host.createPrincipal("staff:G001", name: "成长中心", roles: ["growth_centre"], scopes: [("city", [])]))
        func refusedFor(_ problem: String) async {
            await #expect { _ = try await school.call(Self.crisis + "RequestReferral", request, as: Xinyu_Crisis_V1_Referral.self) } throws: {
                let error = $0 as? RPCError
                return error?.code == .failedPrecondition && error?.message.contains("field agency") == true && error?.message.contains(problem) == true
            }
        }
        await refusedFor("no agency kangning")
        _ = try await centre.call(Self.partnership + "CreateAgency", Xinyu_Partnership_V1_CreateAgencyRequest.with { $0.id = "kangning"; $0.kind = .hospital; $0.name = "宁波市康宁医院" },
                                  as: Xinyu_Partnership_V1_Agency.self)
        await refusedFor("has no signed agreement")
        func sign(_ signed: String, _ expires: String, _ purposes: [String]) async throws {
            _ = try await centre.call(Self.partnership + "SignAgreement", Xinyu_Partnership_V1_SignAgreementRequest.with {
                $0.agencyID = "kangning"; $0.signedOn = signed; $0.expiresOn = expires; $0.scope = "联防协议"; $0.purposes = purposes
            }, as: Xinyu_Partnership_V1_Agreement.self)
        }
        try await sign("2020-01-01", "2021-12-31", ["referral"])
        await refusedFor("expired on 2021-12-31")
        try await sign("2020-01-01", "2099-12-31", ["police_joint_case"])
        await refusedFor("covers \"referral\"")
        try await sign("2020-01-01", "2099-12-31", ["referral"])
        let made = try await school.call(Self.crisis + "RequestReferral", request, as: Xinyu_Crisis_V1_Referral.self)

        // The watch sees exactly that one referral arrive.
        let first = try #require(try await watch?.next())
        #expect(first.referral.id == made.id && first.referral.status == .requested && first.referral.legalBasis == "guardian_consent")
        #expect(first.referral.studentName == "学生1" && first.referral.urgent)
        let listed = try await referrals(hospital)
        #expect(listed.map(\.id) == [made.id])

        // Agency B: NOT_FOUND, as if the referral did not exist, and the audit records the attempt.
        #expect(try await referrals(otherHospital).isEmpty)
        await #expect { _ = try await otherHospital.call(Self.partnership + "GetReferral", Xinyu_Partnership_V1_GetReferralRequest.with { $0.referralID = made.id }, as: Xinyu_Partnership_V1_Referral.self) }
            throws: { ($0 as? RPCError)?.code == .notFound }
        await #expect { _ = try await step(otherHospital, made.id, to: .accepted) } throws: { ($0 as? RPCError)?.code == .notFound }
        let audit = try await host.operatorClient()
        var query = Xinyu_Admin_V1_QueryAuditRequest()
        query.principalID = "agency:seventh"
        let records = try await audit.call("xinyu.admin.v1.Admin/QueryAudit", query, as: Xinyu_Admin_V1_QueryAuditResponse.self).records
        let attempts = records.filter { $0.method.hasPrefix(Self.partnership) && $0.outcome == "NOT_FOUND" }
        #expect(attempts.count == 2 && attempts.allSatisfy { $0.detail.contains("scope violation") && $0.subjects == ["S1"] }, "\(records)")

        // An illegal step is refused naming the allowed ones.
        await #expect { _ = try await step(hospital, made.id, to: .completed) { $0.successful = true } } throws: {
            ($0 as? RPCError)?.code == .failedPrecondition && ($0 as? RPCError)?.message.contains("allowed: accepted, declined") == true
        }

        // Accept while watching; then the connection is cut.
        _ = try await step(hospital, made.id, to: .accepted)
        let second = try #require(try await watch?.next())
        #expect(second.referral.status == .accepted)
        watch = nil  // the stream ends: the client cancels the call
        let cursor = second.cursor

        // Two steps happen while the agency is away …
        _ = try await step(hospital, made.id, to: .appointmentBooked) { $0.appointment = .with { $0.at = "2024-10-09 14:30"; $0.place = "康宁医院 门诊3楼"; $0.doctor = "李医生" } }
        _ = try await step(hospital, made.id, to: .inTreatment)
        // … and after resuming from its cursor it gets those, then the next live one, each once.
        var resumed = try hospital.stream(Self.partnership + "WatchReferrals", Xinyu_Partnership_V1_WatchReferralsRequest.with { $0.cursor = cursor }, as: Xinyu_Partnership_V1_ReferralChange.self).makeAsyncIterator()
        let third = try #require(try await resumed.next())
        let fourth = try #require(try await resumed.next())
        _ = try await step(hospital, made.id, to: .completed) { $0.successful = true; $0.outcome = "门诊随访，两周复诊" }
        let fifth = try #require(try await resumed.next())
        #expect([third, fourth, fifth].map(\.referral.status) == [.appointmentBooked, .inTreatment, .completed])
        #expect([first, second, third, fourth, fifth].map(\.referral.version) == [1, 2, 3, 4, 5], "nothing missed, nothing repeated")
        #expect(fifth.referral.appointment.doctor == "李医生")

        // Every step is back in crisis's archive.
        let archiveSteps = ["accepted", "appointment_booked", "in_treatment", "completed"].map { "referral \(made.id): \($0)" }
        try await waitUntil("every referral step in crisis's archive", timeout: .seconds(15)) {
            let archive = try? await school.call(Self.crisis + "GetArchive", Xinyu_Crisis_V1_GetArchiveRequest.with { $0.studentID = "S1" }, as: Xinyu_Crisis_V1_GetArchiveResponse.self)
            let summaries = archive?.entries.filter { $0.kind == "referral" }.map(\.summary) ?? []
            return archiveSteps.allSatisfy(summaries.contains)
        }
        let crisisReferral = try await school.call(Self.crisis + "GetCase", Xinyu_Crisis_V1_GetCaseRequest.with { $0.caseID = opened.id }, as: Xinyu_Crisis_V1_CaseDetail.self).referrals.first
        #expect(crisisReferral?.status == "completed" && crisisReferral?.outcome.contains("successful") == true)
        let crisisReferrals = try await school.call(Self.crisis + "GetCase", Xinyu_Crisis_V1_GetCaseRequest.with { $0.caseID = opened.id }, as: Xinyu_Crisis_V1_CaseDetail.self).referrals
        #expect(crisisReferrals.map(\.id) == [made.id], "the refused referrals were never recorded")

        // Names never reach the host log.
        #expect(!host.log.contains("学生1"))
        await school.close()
        await hospital.close()
        await otherHospital.close()
        await audit.close()
        await centre.close()
        _ = try await host.stop()
    }

    @Test("40 concurrent bookings into 10 places: 10 booked, 30 waitlisted; a high-risk hotline call raises a concern in crisis")
    func sessionsAndHotline() async throws {
        let host = try await RunningHost(plugins: ["crisis", "partnership"])
        let tester = try await host.client()
        try await seedDirectory(tester, students: 40)
        let centre = try await host.client(token: try await host.createPrincipal("staff:G001", name: "成长中心", roles: ["growth_centre"], scopes: [("city", [])]))
        _ = try await centre.call(Self.partnership + "CreateAgency", Xinyu_Partnership_V1_CreateAgencyRequest.with {
            $0.id = "seventh"; $0.kind = .hospital; $0.name = "宁波市第七人民医院"; $0.contacts = ["分诊点 0574-00000000"]
        }, as: Xinyu_Partnership_V1_Agency.self)
        let session = try await centre.call(Self.partnership + "CreateExpertSession", Xinyu_Partnership_V1_CreateExpertSessionRequest.with {
            $0.kind = .triageWeekly; $0.agencyID = "seventh"; $0.startsAt = "2030-01-07 09:00"; $0.experts = ["王主任"]; $0.capacity = 10
        }, as: Xinyu_Partnership_V1_ExpertSession.self)
        let statuses = try await withThrowingTaskGroup(of: Xinyu_Partnership_V1_BookingStatus.self) { group in
            for n in 1...40 {
                group.addTask {
                    try await centre.call(Self.partnership + "BookExpertSession", Xinyu_Partnership_V1_BookExpertSessionRequest.with {
                        $0.sessionID = session.id; $0.studentID = "S\(n)"
                    }, as: Xinyu_Partnership_V1_Booking.self).status
                }
            }
            return try await group.reduce(into: [Xinyu_Partnership_V1_BookingStatus]()) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == .booked }.count == 10 && statuses.filter { $0 == .waitlisted }.count == 30)
        let listed = try await centre.call(Self.partnership + "ListExpertSessions", Xinyu_Partnership_V1_ListExpertSessionsRequest.with { $0.from = "2030-01-01"; $0.to = "2030-01-31" },
                                           as: Xinyu_Partnership_V1_ListExpertSessionsResponse.self).sessions
        #expect(listed.map(\.booked) == [10] && listed.map(\.waitlisted) == [30])

        let hotline = try await host.client(token: try await host.createPrincipal(
            "agency:hotline", kind: .agency, name: "心理咨询热线", roles: ["agency_hotline"], scopes: [("agency", ["hotline"])], agencyKind: "hotline"))
        let call = try await hotline.call(Self.partnership + "RecordHotlineCall", Xinyu_Partnership_V1_RecordHotlineCallRequest.with {
            $0.callerKind = .student; $0.topic = "自伤念头"; $0.risk = .high; $0.counsellor = "热线 07号"; $0.studentID = "S7"
        }, as: Xinyu_Partnership_V1_HotlineCall.self)
        #expect(!call.concernID.isEmpty)
        let concerns = try await tester.call(Self.crisis + "ListConcerns", Xinyu_Crisis_V1_ListConcernsRequest(), as: Xinyu_Crisis_V1_ListConcernsResponse.self).concerns
        #expect(concerns.map(\.id) == [call.concernID] && concerns.map(\.studentID) == ["S7"] && concerns[0].raisedBy.contains("partnership"), "\(concerns)")
        for client in [tester, centre, hotline] { await client.close() }
        _ = try await host.stop()
    }
}
