import NIOCore
import XinyuClient
import XinyuCoreAPI
import XinyuRPC

/// How the benchmark's clients prove who they are, as real clients do.
///
/// The local operator administers the host but holds no crisis permissions, so the workloads
/// run as a growth-centre principal (学生成长指导中心, role `growth_centre`, city scope) with an
/// API token the operator issues once per run. Every workload call therefore pays for what a
/// real call pays: token re-check, permission check, scope filter and an audit entry.
enum BenchAuth {
    static let principalID = "bench:growth-centre"

    /// A connection as the local operator (host status, admin calls).
    static func operatorClient(socketPath: String) async throws -> XinyuClient {
        try await XinyuClient.connect(to: .unix(path: socketPath), name: "xinyu-bench")
    }

    /// Creates the workload principal and returns a token for it.
    static func issueWorkloadToken(socketPath: String) async throws -> String {
        let admin = try await operatorClient(socketPath: socketPath)
        defer { Task { await admin.close() } }
        var principal = Xinyu_Admin_V1_CreatePrincipalRequest()
        principal.id = principalID
        principal.kind = .service
        principal.displayName = "xinyu-bench workloads"
        principal.roles = ["growth_centre"]
        var city = Xinyu_Admin_V1_Scope()
        city.kind = "city"
        principal.scopes = [city]
        _ = try await admin.call("xinyu.admin.v1.Admin/CreatePrincipal", principal, as: Xinyu_Admin_V1_PrincipalRecord.self)
        var issue = Xinyu_Admin_V1_IssueTokenRequest()
        issue.principalID = principalID
        issue.label = "benchmark run"
        issue.validDays = 1
        return try await admin.call("xinyu.admin.v1.Admin/IssueToken", issue, as: Xinyu_Admin_V1_IssuedToken.self).token
    }

    /// A connection with the permissions the crisis workloads need.
    static func workloadClient(socketPath: String, token: String, group: EventLoopGroup? = nil) async throws -> XinyuClient {
        try await XinyuClient.connect(to: .unix(path: socketPath), name: "xinyu-bench", token: token, group: group)
    }
}
