import Foundation
import XinyuCoreAPI
import XinyuPluginSDK
import XinyuStore
import XinyuWire

/// `xinyu.admin.v1.Admin`: plugins, principals, roles, tokens, the audit log and reloading the
/// configuration. Every method is permission-guarded (see the manifest below); changes are
/// audited like every other call.
struct AdminService: Sendable {
    let access: AccessControl
    let database: SharedDatabase
    /// Late-bound: the supervisor and routing table are built after the host's services.
    let supervisor: @Sendable () -> PluginSupervisor
    let table: @Sendable () -> RoutingTable
    let auditTrail: AuditTrail
    let tokenDefaultDays: Int
    /// Re-reads the configuration file and applies what can change without a restart.
    let reload: @Sendable (String) async throws -> [String]
    /// Copies the databases for `Backup`.
    let backups: HostBackup

    func register(_ registry: inout ServiceRegistry) {
        registry.service("xinyu.admin.v1.Admin") { s in
            s.unary("ListPlugins", permission: "admin.plugins", handler: listPlugins)
            s.unary("SetPluginEnabled", permission: "admin.plugins", mutates: true, handler: setPluginEnabled)
            s.unary("CreatePrincipal", permission: "admin.principals", mutates: true, handler: createPrincipal)
            s.unary("ListPrincipals", permission: "admin.principals", handler: listPrincipals)
            s.unary("SetPrincipalDisabled", permission: "admin.principals", mutates: true, handler: setPrincipalDisabled)
            s.unary("CreateRole", permission: "admin.roles", mutates: true, handler: createRole)
            s.unary("ListRoles", permission: "admin.roles", handler: listRoles)
            s.unary("IssueToken", permission: "admin.tokens", mutates: true, handler: issueToken)
            s.unary("ListTokens", permission: "admin.tokens", handler: listTokens)
            s.unary("RevokeToken", permission: "admin.tokens", mutates: true, handler: revokeToken)
            s.unary("QueryAudit", permission: "audit.read", handler: queryAudit)
            s.unary("VerifyAudit", permission: "audit.verify", handler: verifyAudit)
            s.unary("WhoAccessed", permission: "audit.subject.read", handler: whoAccessed)
            s.unary("ReloadConfiguration", permission: "admin.reload", mutates: true, handler: reloadConfiguration)
            s.unary("Backup", permission: "admin.backup", handler: backup)
        }
    }

    // MARK: Plugins

    func listPlugins(_ request: Xinyu_Admin_V1_ListPluginsRequest, _ context: CallContext) async throws -> Xinyu_Admin_V1_ListPluginsResponse {
        let overrides = try PluginOverride.all(database)
        let names = table().installed.union(table().records.map(\.name)).union(overrides.map(\.name))
        var response = Xinyu_Admin_V1_ListPluginsResponse()
        for name in names.sorted() {
            var state = Xinyu_Admin_V1_PluginState()
            state.name = name
            let record = table().record(name)
            state.enabled = record != nil
            state.state = record?.state.rawValue ?? PluginRecord.State.disabled.rawValue
            if let override = overrides.first(where: { $0.name == name }) {
                state.changedBy = override.changedBy
                state.changedAtMs = override.changedAtMs
            }
            state.installed = await supervisor().isInstalled(name)
            response.plugins.append(state)
        }
        return response
    }

    func setPluginEnabled(_ request: Xinyu_Admin_V1_SetPluginEnabledRequest, _ context: CallContext) async throws -> Xinyu_Admin_V1_PluginState {
        guard PluginName.isValid(request.name) else { throw RPCError.invalidField("name", "'\(request.name)' is not a plugin name") }
        let reason = request.reason.trimmingCharacters(in: .whitespaces)
        guard !reason.isEmpty else { throw RPCError.invalidField("reason", "say why, for the audit trail") }
        let isEnabled = table().record(request.name) != nil
        if request.enabled && !isEnabled {
            try await supervisor().enable(request.name)
        } else if !request.enabled && isEnabled {
            await supervisor().disable(request.name)
        }
        let override = PluginOverride(name: request.name, enabled: request.enabled, changedBy: context.principal.id,
                                      changedAtMs: Int64(Date().timeIntervalSince1970 * 1000), reason: String(reason.prefix(200)))
        try await override.save(database)
        context.noteForAudit("plugin \(request.name) \(request.enabled ? "enabled" : "disabled")")
        var state = Xinyu_Admin_V1_PluginState()
        state.name = request.name
        state.enabled = request.enabled
        state.state = table().record(request.name)?.state.rawValue ?? PluginRecord.State.disabled.rawValue
        state.changedBy = override.changedBy
        state.changedAtMs = override.changedAtMs
        state.installed = await supervisor().isInstalled(request.name)
        return state
    }

    // MARK: Principals and roles

    func createPrincipal(_ request: Xinyu_Admin_V1_CreatePrincipalRequest, _ context: CallContext) async throws -> Xinyu_Admin_V1_PrincipalRecord {
        let kind: Principal.Kind = switch request.kind {
        case .person: .person
        case .agency: .agency
        case .service: .service
        case .operator: .operator
        default: .unknown
        }
        let stored = StoredPrincipal(
            id: request.id, kind: kind, displayName: request.displayName, roles: request.roles,
            scopes: request.scopes.map { DataScope(kind: $0.kind, ids: $0.ids) }, agencyKind: request.agencyKind,
            certificateCommonName: request.certificateCommonName.isEmpty ? nil : request.certificateCommonName,
            createdAtMs: Int64(Date().timeIntervalSince1970 * 1000), createdBy: context.principal.id)
        return try await access.createPrincipal(stored, through: context.store, answer: AdminWire.record)
    }

    func listPrincipals(_ request: Xinyu_Admin_V1_ListPrincipalsRequest, _ context: CallContext) async throws -> Xinyu_Admin_V1_ListPrincipalsResponse {
        var response = Xinyu_Admin_V1_ListPrincipalsResponse()
        response.principals = access.principals
            .filter { request.kind == .unspecified || AdminWire.kind($0.kind) == request.kind }
            .filter { request.role.isEmpty || $0.roles.contains(request.role) }
            .map(AdminWire.record)
        return response
    }

    func setPrincipalDisabled(_ request: Xinyu_Admin_V1_SetPrincipalDisabledRequest, _ context: CallContext) async throws -> Xinyu_Admin_V1_PrincipalRecord {
        guard !request.reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw RPCError.invalidField("reason", "say why, for the audit trail") }
        context.noteForAudit("principal \(request.id) \(request.disabled ? "disabled" : "enabled")")
        return try await access.setDisabled(request.id, disabled: request.disabled, through: context.store, answer: AdminWire.record)
    }

    func createRole(_ request: Xinyu_Admin_V1_CreateRoleRequest, _ context: CallContext) async throws -> Xinyu_Admin_V1_RoleRecord {
        return try await access.createRole(
            RoleDefinition(name: request.name, description: request.description_p, permissions: request.permissions, source: "admin"),
            by: context.principal.id, through: context.store, answer: AdminWire.record)
    }

    func listRoles(_ request: Xinyu_Admin_V1_ListRolesRequest, _ context: CallContext) async throws -> Xinyu_Admin_V1_ListRolesResponse {
        var response = Xinyu_Admin_V1_ListRolesResponse()
        response.roles = access.roles.map(AdminWire.record)
        return response
    }

    // MARK: Tokens

    func issueToken(_ request: Xinyu_Admin_V1_IssueTokenRequest, _ context: CallContext) async throws -> Xinyu_Admin_V1_IssuedToken {
        // A stored answer would keep the token's secret in the database, which must never hold
        // it: so IssueToken takes no idempotency key. A lost answer is recovered by revoking the
        // token ListTokens shows and issuing another.
        if let key = context.idempotencyKey, !key.isEmpty {
            throw RPCError(.invalidArgument, "IssueToken takes no idempotency key: its answer holds the token's secret, which is never stored; "
                + "if an answer was lost, revoke the new token (xinyu admin tokens list) and issue another")
        }
        let days = request.validDays == 0 ? tokenDefaultDays : Int(request.validDays)
        let (record, token) = try await access.issueToken(principalID: request.principalID, label: request.label, validDays: days, by: context.principal.id)
        context.noteForAudit("token \(record.id) issued to \(record.principalID)")
        var response = Xinyu_Admin_V1_IssuedToken()
        response.record = AdminWire.record(record)
        response.token = token
        return response
    }

    func listTokens(_ request: Xinyu_Admin_V1_ListTokensRequest, _ context: CallContext) async throws -> Xinyu_Admin_V1_ListTokensResponse {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var response = Xinyu_Admin_V1_ListTokensResponse()
        response.tokens = access.tokens
            .filter { request.principalID.isEmpty || $0.principalID == request.principalID }
            .filter { request.includeInactive || $0.isActive(atMs: now) }
            .map(AdminWire.record)
        return response
    }

    func revokeToken(_ request: Xinyu_Admin_V1_RevokeTokenRequest, _ context: CallContext) async throws -> Xinyu_Admin_V1_TokenRecord {
        guard !request.reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw RPCError.invalidField("reason", "say why, for the audit trail") }
        context.noteForAudit("token \(request.id) revoked")
        return try await access.revokeToken(request.id, by: context.principal.id, through: context.store, answer: AdminWire.record)
    }

    // MARK: Configuration

    func reloadConfiguration(_ request: Xinyu_Admin_V1_ReloadConfigurationRequest, _ context: CallContext) async throws -> Xinyu_Admin_V1_ReloadConfigurationResponse {
        var response = Xinyu_Admin_V1_ReloadConfigurationResponse()
        response.changes = try await reload(context.principal.id)
        return response
    }
}
