import ArgumentParser
import Foundation
import XinyuCoreAPI

/// `xinyu methods`: every method the host routes, with who serves it and its permission.
struct MethodsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "methods", abstract: "List the methods the host serves.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await runReportingErrors {
            let list = try await connection.withClient { client in
                try await client.call("xinyu.host.v1.Host/ListMethods", Xinyu_Host_V1_ListMethodsRequest(), as: Xinyu_Host_V1_ListMethodsResponse.self, options: connection.callOptions)
            }
            var rows = [["METHOD", "SERVED BY", "PERMISSION", "KIND"]]
            for m in list.methods {
                let kind = [m.mutates ? "write" : "read", m.serverStreaming ? "stream" : "unary", m.available ? "" : "unavailable"].filter { !$0.isEmpty }.joined(separator: ",")
                rows.append([m.method, m.servedBy, m.permission.isEmpty ? "-" : m.permission, kind])
            }
            print(TextTable.render(rows))
        }
    }
}

/// `xinyu health`: serving or degraded, and what is not ready.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "health", abstract: "Show whether the host and every enabled plugin are ready (exit 1 if not).")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await runReportingErrors {
            let health = try await connection.withClient { client in
                try await client.call("xinyu.host.v1.Host/Health", Xinyu_Host_V1_HealthRequest(), as: Xinyu_Host_V1_HealthResponse.self, options: connection.callOptions)
            }
            print(health.status)
            for line in health.notReady { print("  not ready: \(line)") }
            if health.status != "serving" { throw ExitCode(1) }
        }
    }
}
