import ArgumentParser
import XinyuCoreAPI

/// `xinyu admin roles list|create`.
struct AdminRolesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roles", abstract: "Roles and the permissions they grant.",
        subcommands: [List.self, Create.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List roles (from the roles file and created at run time).")
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await runReportingErrors {
                let response = try await adminCall(connection, "ListRoles", Xinyu_Admin_V1_ListRolesRequest(), as: Xinyu_Admin_V1_ListRolesResponse.self)
                var rows = [["ROLE", "SOURCE", "PERMISSIONS"]]
                for r in response.roles { rows.append([r.name, r.source, r.permissions.joined(separator: " ")]) }
                print(TextTable.render(rows))
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a role without changing code or files.")
        @Argument(help: "Role name, e.g. district_inspector.") var name: String
        @Option(help: "What the role is for.") var description: String
        @Option(name: .customLong("permission"), help: "A permission (repeatable), e.g. facilities.inspect or crisis.stats.read.") var permissions: [String] = []
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await runReportingErrors {
                var request = Xinyu_Admin_V1_CreateRoleRequest()
                request.name = name
                request.description_p = description
                request.permissions = permissions
                let role = try await adminCall(connection, "CreateRole", request, as: Xinyu_Admin_V1_RoleRecord.self, idempotent: true)
                print("created role \(role.name): \(role.permissions.joined(separator: " "))")
            }
        }
    }
}
