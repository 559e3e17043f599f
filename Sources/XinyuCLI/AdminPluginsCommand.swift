import ArgumentParser
import XinyuCoreAPI

/// `xinyu admin plugins list|enable|disable`.
struct AdminPluginsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins", abstract: "List, enable or disable plugins at run time (kept across restarts).",
        subcommands: [List.self, Enable.self, Disable.self], defaultSubcommand: List.self)

    static func set(_ name: String, enabled: Bool, reason: String, _ connection: ConnectionOptions) async throws -> Xinyu_Admin_V1_PluginState {
        var request = Xinyu_Admin_V1_SetPluginEnabledRequest()
        request.name = name
        request.enabled = enabled
        request.reason = reason
        return try await adminCall(connection, "SetPluginEnabled", request, as: Xinyu_Admin_V1_PluginState.self, idempotent: true)
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every known plugin: enabled or not, state, installed, last change.")
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await runReportingErrors {
                let response = try await adminCall(connection, "ListPlugins", Xinyu_Admin_V1_ListPluginsRequest(), as: Xinyu_Admin_V1_ListPluginsResponse.self)
                var rows = [["PLUGIN", "ENABLED", "STATE", "INSTALLED", "CHANGED BY", "CHANGED AT"]]
                for p in response.plugins {
                    rows.append([p.name, p.enabled ? "yes" : "no", p.state, p.installed ? "yes" : "no", p.changedBy.isEmpty ? "-" : p.changedBy, formatTime(ms: p.changedAtMs)])
                }
                print(TextTable.render(rows))
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start a plugin and route its methods.")
        @Argument(help: "Plugin name, e.g. homeschool.") var name: String
        @Option(help: "Why (kept in the audit trail).") var reason: String
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await runReportingErrors {
                let state = try await AdminPluginsCommand.set(name, enabled: true, reason: reason, connection)
                print("plugin \(state.name) enabled (\(state.state))")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a plugin; its methods answer FAILED_PRECONDITION naming it.")
        @Argument(help: "Plugin name, e.g. homeschool.") var name: String
        @Option(help: "Why (kept in the audit trail).") var reason: String
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await runReportingErrors {
                let state = try await AdminPluginsCommand.set(name, enabled: false, reason: reason, connection)
                print("plugin \(state.name) disabled")
            }
        }
    }
}
