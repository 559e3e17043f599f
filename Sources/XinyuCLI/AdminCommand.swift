import ArgumentParser
import Foundation
import SwiftProtobuf
import XinyuCoreAPI

/// `xinyu admin …`: plugins, principals, roles, tokens and configuration reload.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Administer the host: plugins, principals, roles, API tokens, configuration, backups.",
        subcommands: [AdminPluginsCommand.self, AdminPrincipalsCommand.self, AdminRolesCommand.self, AdminTokensCommand.self, AdminReloadCommand.self, AdminBackupCommand.self])
}

/// Calls one admin method and returns its answer.
func adminCall<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
    _ connection: ConnectionOptions, _ method: String, _ request: Request, as: Response.Type, idempotent: Bool = false
) async throws -> Response {
    var options = connection.callOptions
    if idempotent { options.idempotencyKey = UUID().uuidString }
    return try await connection.withClient { client in
        try await client.call("xinyu.admin.v1.Admin/\(method)", request, as: Response.self, options: options)
    }
}

func formatTime(ms: Int64) -> String {
    guard ms > 0 else { return "-" }
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
}

struct AdminReloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reload", abstract: "Re-read the configuration and roles files; apply roles and enabled plugins.")
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await runReportingErrors {
            let response = try await adminCall(connection, "ReloadConfiguration", Xinyu_Admin_V1_ReloadConfigurationRequest(), as: Xinyu_Admin_V1_ReloadConfigurationResponse.self, idempotent: true)
            for line in response.changes { print(line) }
        }
    }
}
