import Foundation
import SwiftProtobuf
import Testing
import XinyuClient
import XinyuCoreAPI
import XinyuCrisisAPI

/// Issue 12 §1 and §6 across processes: the screening platform's uploader imports an overnight
/// round into the real crisis plugin behind the real host; the school's psych teacher finds the
/// owed work waiting, each case due within the hour; the same file again duplicates nothing.
@Suite("Crisis detection through the real host", .serialized)
struct CrisisDetectionEndToEndTests {
    static let method = "xinyu.crisis.v1.Crisis/"

    func importRoster(_ client: XinyuClient, _ kind: Xinyu_Directory_V1_RosterKind, _ csv: String) async throws {
        var request = Xinyu_Directory_V1_ImportRosterRequest()
        request.kind = kind
        request.csv = Data(csv.utf8)
        for try await event in try client.stream("xinyu.directory.v1.Directory/ImportRoster", request, as: Xinyu_Directory_V1_ImportRosterEvent.self) {
            if case .report(let r)? = event.event { #expect(r.errors.isEmpty, "\(r.errors)") }
        }
    }

    func importRound(_ client: XinyuClient, _ csv: String) async throws -> Xinyu_Crisis_V1_ImportReport? {
        var request = Xinyu_Crisis_V1_ImportScreeningRoundRequest()
        request.csv = Data(csv.utf8)
        request.roundID = "2030-autumn"
        request.instrumentID = "phq-a"
        var report: Xinyu_Crisis_V1_ImportReport?
        for try await event in try client.stream(Self.method + "ImportScreeningRound", request, as: Xinyu_Crisis_V1_ImportScreeningEvent.self) {
            if case .report(let r)? = event.event { report = r }
        }
        return report
    }

    @Test("an overnight import raising 50 students to level 1 leaves 50 cases due within the hour; importing it again duplicates nothing")
    func overnightImport() async throws {
        let host = try await RunningHost(plugins: ["crisis"])
        let admin = try await host.client()
        try await importRoster(admin, .schools, "school_id,name,district,kind\nNB-050,宁波市第五十中学,鄞州区,senior\n")
        try await importRoster(admin, .staff, "staff_id,name,school_id\nP050,陈老师,NB-050\n")
        try await importRoster(admin, .classes, "class_id,school_id,grade,name\nC-50-1,NB-050,10,1班\n")
        let ids = (1...50).map { String(format: "D%03d", $0) }
        try await importRoster(admin, .students, "学籍号,姓名,性别,出生日期,学校代码,班级代码\n"
            + ids.map { "\($0),学生\($0),女,2009-04-23,NB-050,C-50-1" }.joined(separator: "\n") + "\n")

        let uploader = try await host.client(token: try await host.createPrincipal(
            "svc:screening", kind: .service, name: "普测平台", roles: ["screening_platform"], scopes: [("city", [])]))
        let psychTeacher = try await host.client(token: try await host.createPrincipal(
            "staff:P050", name: "陈老师", roles: ["psych_teacher"], scopes: [("school", ["NB-050"])]))

        let csv = "学籍号,q1,q2,q3,q4,q5,q6,q7,q8,q9,suicidal_thoughts_past_month,past_attempt\n"
            + ids.map { "\($0),1,1,1,1,1,1,1,1,1,否,否" }.joined(separator: "\n") + "\n"
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let report = try #require(try await importRound(uploader, csv))
        let after = Int64(Date().timeIntervalSince1970 * 1000)
        #expect(report.imported == 50 && report.levelsChanged == 50 && report.duplicateRule == "skip", "\(report)")

        let cases = try await psychTeacher.call(Self.method + "ListCases", Xinyu_Crisis_V1_ListCasesRequest.with { $0.openOnly = true; $0.limit = 100 },
                                                as: Xinyu_Crisis_V1_ListCasesResponse.self).cases
        #expect(Set(cases.map(\.studentID)) == Set(ids))
        #expect(cases.allSatisfy { $0.origin == "detection" && $0.detectedAtMs >= before && $0.assignDueAtMs <= after + 3_600_000 })
        #expect(cases.allSatisfy { $0.assignDueAtMs - $0.detectedAtMs == 3_600_000 && !$0.assignmentOverdue })
        let unowned = try await psychTeacher.call(Self.method + "ListWarnings", Xinyu_Crisis_V1_ListWarningsRequest.with { $0.noOwner = true; $0.limit = 100 },
                                                  as: Xinyu_Crisis_V1_ListWarningsResponse.self)
        #expect(unowned.warnings.count == 50)

        // The uploader runs the same file again (a retried overnight job).
        let again = try #require(try await importRound(uploader, csv))
        #expect(again.imported == 0 && again.duplicatesSkipped == 50 && again.nothingChanged, "\(again)")
        let still = try await psychTeacher.call(Self.method + "ListCases", Xinyu_Crisis_V1_ListCasesRequest.with { $0.limit = 100 },
                                                as: Xinyu_Crisis_V1_ListCasesResponse.self).cases
        #expect(still.count == 50)

        // OpenCase by the psych teacher takes up the case detection opened; the deadline stays.
        let first = try #require(cases.first)
        let takenUp = try await psychTeacher.call(Self.method + "OpenCase", Xinyu_Crisis_V1_OpenCaseRequest.with { $0.studentID = first.studentID; $0.reason = "普测一级预警" },
                                                  as: Xinyu_Crisis_V1_Case.self)
        #expect(takenUp.id == first.id && takenUp.assignDueAtMs == first.assignDueAtMs)
        #expect(!host.log.contains("学生D001"))
        for client in [admin, uploader, psychTeacher] { await client.close() }
        _ = try await host.stop()
    }
}
