import BenchHarness
import Foundation
import SwiftProtobuf
import XinyuClient
import XinyuCoreAPI
import XinyuCrisisAPI

/// The workbench (issue 12 §8): ListMyWork as a school's psych teacher opens it every morning,
/// for a school of 3,000 students, one call at a time. Target: p99 ≤ 20 ms.
extension Workloads {
    static let listMyWork = "xinyu.crisis.v1.Crisis/ListMyWork"
    static let workbenchName = "W-work workbench"

    func workbench(_ report: inout Report) async throws {
        guard hasCrisis else {
            report.add(ResultRow(workload: Self.workbenchName, target: "–", concurrency: "–", note: "skipped: crisis plugin not built"))
            return
        }
        let seeded = try direct.dispatcher.database.writeSync { db in try WorkbenchSchoolSeeder().seed(db, today: Date()) }
        let token = try await Self.psychTeacherToken(socketPath: host.socketPath)
        let target = HostTarget(socketPath: host.socketPath, token: token, group: host.group)
        // What the psych teacher sees, for the note: the size of the answer measured.
        let client = try await BenchAuth.workloadClient(socketPath: host.socketPath, token: token, group: host.group)
        let answer = try await client.call(Self.listMyWork, Xinyu_Crisis_V1_ListMyWorkRequest(), as: Xinyu_Crisis_V1_ListMyWorkResponse.self)
        await client.close()
        let stats = try await target.run(Self.listMyWork, Concurrency(connections: 1, inFlight: 1), d, min(w, 0.5)) { _, _ in
            Xinyu_Crisis_V1_ListMyWorkRequest()
        }
        report.add(ResultRow(workload: Self.workbenchName, target: "xinyu host → crisis", concurrency: "1×1", stats: stats,
                             note: "ListMyWork for a school of \(seeded.students) students (\(seeded.levelled) levelled, \(seeded.openCases) open cases, "
                                 + "\(seeded.followUps) follow-ups, \(seeded.concerns) concerns): \(answer.total) items owed"))
    }

    /// The verdict line for Targets.
    static func workbenchTargets(_ report: Report) -> [String] {
        guard let r = report.rows.first(where: { $0.workload == workbenchName })?.stats else { return [] }
        return ["\(workbenchName) p99: \(String(format: "%.1f", r.p99 / 1000)) ms (target ≤ 20 ms per call): \(r.p99 <= 20_000 ? "met" : "NOT met")"]
    }

    /// A token for the school's psych teacher (role psych_teacher, the school's scope), issued by the operator.
    static func psychTeacherToken(socketPath: String) async throws -> String {
        let admin = try await BenchAuth.operatorClient(socketPath: socketPath)
        defer { Task { await admin.close() } }
        var principal = Xinyu_Admin_V1_CreatePrincipalRequest()
        principal.id = "staff:\(WorkbenchSchoolSeeder.psychTeacherID)"
        principal.kind = .person
        principal.displayName = "陈老师"
        principal.roles = ["psych_teacher"]
        var school = Xinyu_Admin_V1_Scope()
        school.kind = "school"
        school.ids = [WorkbenchSchoolSeeder.schoolID]
        principal.scopes = [school]
        _ = try await admin.call("xinyu.admin.v1.Admin/CreatePrincipal", principal, as: Xinyu_Admin_V1_PrincipalRecord.self)
        var issue = Xinyu_Admin_V1_IssueTokenRequest()
        issue.principalID = principal.id
        issue.label = "benchmark workbench"
        issue.validDays = 1
        return try await admin.call("xinyu.admin.v1.Admin/IssueToken", issue, as: Xinyu_Admin_V1_IssuedToken.self).token
    }
}
