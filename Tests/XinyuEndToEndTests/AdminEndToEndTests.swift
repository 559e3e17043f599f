import Foundation
import Testing
import XinyuClient
import XinyuCoreAPI
import XinyuFixtureAPI
import XinyuRPC
import XinyuWire

/// The admin service through the real host: plugins switched at run time, configuration reload.
@Suite("Admin end to end", .serialized)
struct AdminEndToEndTests {
    func setEnabled(_ admin: XinyuClient, _ name: String, _ enabled: Bool) async throws -> Xinyu_Admin_V1_PluginState {
        var request = Xinyu_Admin_V1_SetPluginEnabledRequest()
        request.name = name
        request.enabled = enabled
        request.reason = "e2e"
        return try await admin.call("xinyu.admin.v1.Admin/SetPluginEnabled", request, as: Xinyu_Admin_V1_PluginState.self)
    }

    func echo(_ client: XinyuClient) async throws -> String {
        var request = Xinyu_Fixture_V1_EchoRequest()
        request.text = "你好"
        return try await client.call("xinyu.fixture.v1.Probe/Echo", request, as: Xinyu_Fixture_V1_EchoReply.self).text
    }

    @Test func disablingAPluginAtRunTimeIsPersistedAndItsMethodsNameIt() async throws {
        let host = try await RunningHost(plugins: ["probe"])
        let admin = try await host.operatorClient()
        let client = try await host.client()
        #expect(try await echo(client) == "你好")
        let pid = try #require(try await host.pluginStatus()["probe"]?.pid)

        let disabled = try await setEnabled(admin, "probe", false)
        #expect(!disabled.enabled && disabled.changedBy == "operator")
        do {
            _ = try await echo(client)
            Issue.record("a disabled plugin answered")
        } catch let error as RPCError {
            #expect(error.code == .failedPrecondition)
            #expect(error.message.contains("plugin 'probe' is not enabled"))
        }
        try await waitUntil("probe process gone", timeout: .seconds(10)) { kill(pid, 0) != 0 }
        _ = try await host.stop()

        // Still disabled after a restart, although the configuration enables it.
        let restarted = try await RunningHost(reusing: host.directory, plugins: ["probe"], waitFor: [])
        let list = try await (try await restarted.operatorClient()).call("xinyu.admin.v1.Admin/ListPlugins", Xinyu_Admin_V1_ListPluginsRequest(), as: Xinyu_Admin_V1_ListPluginsResponse.self)
        #expect(list.plugins.first { $0.name == "probe" }?.enabled == false)
        _ = try await restarted.stop()
    }

    @Test func enablingAPluginAtRunTimeStartsItAndRoutesItsMethods() async throws {
        let host = try await RunningHost(plugins: [])
        let admin = try await host.operatorClient()
        let client = try await host.client()
        let enabled = try await setEnabled(admin, "probe", true)
        #expect(enabled.enabled && enabled.installed)
        try await host.waitForPlugins(["probe"])
        #expect(try await echo(client) == "你好")
        do {
            _ = try await setEnabled(admin, "no-such-plugin", true)
            Issue.record("enabled a plugin that is not installed")
        } catch let error as RPCError {
            #expect(error.code == .failedPrecondition && error.message.contains("not installed"))
        }
        _ = try await host.stop()
    }

    @Test func reloadAppliesANewRoleFromTheRolesFile() async throws {
        let host = try await RunningHost(plugins: [])
        let admin = try await host.operatorClient()
        let rolesPath = host.directory.appendingPathComponent("roles.toml").path
        let before = try String(contentsOfFile: rolesPath, encoding: .utf8)
        try (before + "\n[district_inspector]\ndescription = \"区督导\"\npermissions = [\"facilities.inspect\"]\n").write(toFile: rolesPath, atomically: true, encoding: .utf8)
        let reloaded = try await admin.call("xinyu.admin.v1.Admin/ReloadConfiguration", Xinyu_Admin_V1_ReloadConfigurationRequest(), as: Xinyu_Admin_V1_ReloadConfigurationResponse.self)
        #expect(reloaded.changes.contains { $0.contains("roles added: district_inspector") }, "\(reloaded.changes)")
        #expect(!reloaded.changes.contains { $0.contains("after a restart") }, "\(reloaded.changes)")
        let roles = try await admin.call("xinyu.admin.v1.Admin/ListRoles", Xinyu_Admin_V1_ListRolesRequest(), as: Xinyu_Admin_V1_ListRolesResponse.self)
        #expect(roles.roles.contains { $0.name == "district_inspector" && $0.source == "config" && $0.description_p == "区督导" })

        // A broken file changes nothing and says what is wrong.
        try (before + "\n[Bad Role]\n").write(toFile: rolesPath, atomically: true, encoding: .utf8)
        do {
            _ = try await admin.call("xinyu.admin.v1.Admin/ReloadConfiguration", Xinyu_Admin_V1_ReloadConfigurationRequest(), as: Xinyu_Admin_V1_ReloadConfigurationResponse.self)
            Issue.record("a broken roles file was accepted")
        } catch let error as RPCError {
            #expect(error.code == .invalidArgument && error.message.contains("nothing changed"))
        }
        let still = try await admin.call("xinyu.admin.v1.Admin/ListRoles", Xinyu_Admin_V1_ListRolesRequest(), as: Xinyu_Admin_V1_ListRolesResponse.self)
        #expect(still.roles.contains { $0.name == "district_inspector" })

        // [limits] and [metrics] are read once at start: a reload says so instead of pretending.
        try (before + "\n[district_inspector]\ndescription = \"区督导\"\npermissions = [\"facilities.inspect\"]\n").write(toFile: rolesPath, atomically: true, encoding: .utf8)
        let configPath = host.directory.appendingPathComponent("xinyu.toml").path
        let config = try String(contentsOfFile: configPath, encoding: .utf8)
        try ("[limits]\nmax_connections = 5\n[metrics]\nenabled = true\nlisten = \"127.0.0.1:19464\"\n" + config).write(toFile: configPath, atomically: true, encoding: .utf8)
        let restart = try await admin.call("xinyu.admin.v1.Admin/ReloadConfiguration", Xinyu_Admin_V1_ReloadConfigurationRequest(), as: Xinyu_Admin_V1_ReloadConfigurationResponse.self)
        #expect(restart.changes.contains { $0.contains("applied only after a restart") && $0.contains("metrics") && $0.contains("limits") }, "\(restart.changes)")
        _ = try await host.stop()
    }

    @Test("admin writes replay their first answer for the same key; IssueToken refuses a key, so no secret is ever stored")
    func adminIdempotency() async throws {
        let host = try await RunningHost(plugins: [])
        let admin = try await host.operatorClient()
        var role = Xinyu_Admin_V1_CreateRoleRequest()
        role.name = "duty_viewer"
        role.description_p = "值班查看"
        role.permissions = ["host.status"]
        let options = CallOptions(idempotencyKey: "role-duty-viewer")
        let first = try await admin.call("xinyu.admin.v1.Admin/CreateRole", role, as: Xinyu_Admin_V1_RoleRecord.self, options: options)
        // The retry is answered from the ledger, not run again (which would be ALREADY_EXISTS).
        let again = try await admin.call("xinyu.admin.v1.Admin/CreateRole", role, as: Xinyu_Admin_V1_RoleRecord.self, options: options)
        #expect(again == first)

        var issue = Xinyu_Admin_V1_IssueTokenRequest()
        issue.principalID = "e2e:tester"
        issue.validDays = 1
        let refused = await expectFailure(.invalidArgument) {
            try await admin.call("xinyu.admin.v1.Admin/IssueToken", issue, as: Xinyu_Admin_V1_IssuedToken.self, options: CallOptions(idempotencyKey: "token-1"))
        }
        #expect(refused?.message.contains("takes no idempotency key") == true, "\(String(describing: refused))")
        await admin.close()
        _ = try await host.stop()
    }
}
