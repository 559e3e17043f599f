import NIOCore
import XinyuClient
import XinyuRPC

/// How the benchmark's clients prove who they are: the one place to change when the host's
/// security layer lands.
///
/// Today the operator socket grants every permission, so workloads connect as the operator.
/// Once the operator loses crisis permissions, `workloadClient` should connect as the operator,
/// call `xinyu.admin.v1.Admin/CreatePrincipal` and `IssueToken` for a city-level psych role, and
/// connect again with that token (`XinyuClient.connect(to:name:token:)`).
enum BenchAuth {
    /// A connection as the local operator (host status, admin calls).
    static func operatorClient(socketPath: String) async throws -> XinyuClient {
        try await XinyuClient.connect(to: .unix(path: socketPath), name: "xinyu-bench")
    }

    /// A connection with the permissions the crisis workloads need.
    /// HOOK(security): issue and use a token here once main's security layer is merged.
    static func workloadClient(socketPath: String, group: EventLoopGroup? = nil) async throws -> XinyuClient {
        try await XinyuClient.connect(to: .unix(path: socketPath), name: "xinyu-bench", group: group)
    }
}
