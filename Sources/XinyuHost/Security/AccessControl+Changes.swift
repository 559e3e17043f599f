import Foundation
import GRDB
import XinyuPluginSDK
import XinyuWire

/// Changes made through the admin service: each is validated, written, then the cache reloaded.
///
/// Each write goes through the call's `CallStore`, and `answer` turns the written row into the
/// method's reply inside the same transaction: with an idempotency key the reply is stored as the
/// call's answer in the transaction that made the change, so a retry always gets it (issue 11 §1).
extension AccessControl {
    func createPrincipal<Answer: Sendable>(_ principal: StoredPrincipal, through store: CallStore,
                                           answer: @escaping @Sendable (StoredPrincipal) -> Answer) async throws -> Answer {
        guard StoredPrincipal.isValidID(principal.id) else {
            throw RPCError.invalidField("id", "'\(principal.id)' is not a principal id (ASCII letters, digits and .-_:, at most 64, e.g. staff:T0012)")
        }
        guard [.person, .agency, .service, .operator].contains(principal.kind) else {
            throw RPCError.invalidField("kind", "choose person, agency, service or operator")
        }
        guard !principal.displayName.trimmingCharacters(in: .whitespaces).isEmpty, principal.displayName.count <= 100 else {
            throw RPCError.invalidField("display_name", "is required (at most 100 characters)")
        }
        for (index, name) in principal.roles.enumerated() where role(name) == nil {
            throw RPCError.invalidField("roles[\(index)]", "no role '\(name)'; xinyu admin roles list shows them")
        }
        if principal.kind == .agency {
            guard StoredPrincipal.agencyKinds.contains(principal.agencyKind) else {
                throw RPCError.invalidField("agency_kind", "'\(principal.agencyKind)' is not one of \(StoredPrincipal.agencyKinds.sorted().joined(separator: ", "))")
            }
        } else if !principal.agencyKind.isEmpty {
            throw RPCError.invalidField("agency_kind", "only agencies have an agency kind")
        }
        for (index, scope) in principal.scopes.enumerated() {
            guard DataScope.Kind.all.contains(scope.kind) else {
                throw RPCError.invalidField("scopes[\(index)].kind", "'\(scope.kind)' is not one of \(DataScope.Kind.all.sorted().joined(separator: ", "))")
            }
            if scope.kind == DataScope.Kind.city ? !scope.ids.isEmpty : scope.ids.isEmpty {
                throw RPCError.invalidField("scopes[\(index)].ids", scope.kind == DataScope.Kind.city ? "a city scope has no ids" : "a \(scope.kind) scope needs at least one id")
            }
        }
        if principal.kind == .agency, principal.scopes.contains(where: { $0.kind == DataScope.Kind.city }) {
            throw RPCError.invalidField("scopes", "an agency cannot have a city-wide scope: it sees only what was shared with it (scope agency:<id>)")
        }
        if let cn = principal.certificateCommonName, cn.isEmpty || cn.count > 64 {
            throw RPCError.invalidField("certificate_common_name", "must be 1 to 64 characters")
        }
        let row = principal
        let reply: Answer
        do {
            reply = try await store.write { db in
                try row.insert(db)
                return answer(row)
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw RPCError(.alreadyExists, "a principal with id \(principal.id) or certificate CN \(principal.certificateCommonName ?? "-") already exists")
        }
        try reload()
        return reply
    }

    func setDisabled<Answer: Sendable>(_ id: String, disabled: Bool, through store: CallStore,
                                       answer: @escaping @Sendable (StoredPrincipal) -> Answer) async throws -> Answer {
        guard let current = storedPrincipal(id) else { throw RPCError(.notFound, "no principal \(id)") }
        if id == Self.operatorID && disabled { throw RPCError(.failedPrecondition, "the operator cannot be disabled; revoke its tokens instead") }
        let reply = try await store.write { db in
            try db.execute(sql: "UPDATE security_principals SET disabled = ? WHERE id = ?", arguments: [disabled, id])
            var changed = current
            changed.disabled = disabled
            return answer(changed)
        }
        try reload()
        return reply
    }

    func createRole<Answer: Sendable>(_ role: RoleDefinition, by actor: String, through store: CallStore,
                                      answer: @escaping @Sendable (RoleDefinition) -> Answer) async throws -> Answer {
        guard RoleDefinition.isValidName(role.name) else {
            throw RPCError.invalidField("name", "'\(role.name)' is not a role name (lower-case letters, digits and '_')")
        }
        guard self.role(role.name) == nil else { throw RPCError(.alreadyExists, "role \(role.name) already exists") }
        guard !role.permissions.isEmpty else { throw RPCError.invalidField("permissions", "a role needs at least one permission") }
        for (index, permission) in role.permissions.enumerated() where !RoleDefinition.isValidPermission(permission) {
            throw RPCError.invalidField("permissions[\(index)]", "'\(permission)' is not a permission (e.g. crisis.case.read or crisis.*)")
        }
        let json = String(decoding: try JSONEncoder().encode(role.permissions), as: UTF8.self)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let created = RoleDefinition(name: role.name, description: role.description, permissions: role.permissions, source: "admin")
        let reply = try await store.write { db in
            try db.execute(sql: "INSERT INTO security_roles (name, description, permissions, created_at_ms, created_by) VALUES (?, ?, ?, ?, ?)",
                           arguments: [role.name, role.description, json, now, actor])
            return answer(created)
        }
        try reload()
        return reply
    }

    /// Issues a token; the returned string is the only copy of its secret.
    func issueToken(principalID: String, label: String, validDays: Int, by actor: String, now: Date = Date()) async throws -> (StoredToken, String) {
        guard let principal = storedPrincipal(principalID) else { throw RPCError.invalidField("principal_id", "no principal \(principalID)") }
        guard !principal.disabled else { throw RPCError(.failedPrecondition, "principal \(principalID) is disabled") }
        guard (1...366).contains(validDays) else { throw RPCError.invalidField("valid_days", "\(validDays) is out of range 1–366") }
        guard label.count <= 100 else { throw RPCError.invalidField("label", "at most 100 characters") }
        let generated = TokenFormat.generate()
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        let token = StoredToken(id: generated.id, principalID: principalID, secretHash: TokenFormat.hash(secret: generated.secret),
                                label: label, createdAtMs: nowMs, createdBy: actor, expiresAtMs: nowMs + Int64(validDays) * 86_400_000)
        try await database.write { db in try token.insert(db) }
        try reload()
        return (token, generated.token)
    }

    func revokeToken<Answer: Sendable>(_ id: String, by actor: String, now: Date = Date(), through store: CallStore,
                                       answer: @escaping @Sendable (StoredToken) -> Answer) async throws -> Answer {
        guard let token = tokens.first(where: { $0.id == id }) else { throw RPCError(.notFound, "no token \(id)") }
        guard !token.isRevoked else { throw RPCError(.failedPrecondition, "token \(id) was already revoked") }
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        let reply = try await store.write { db in
            try db.execute(sql: "UPDATE security_tokens SET revoked_at_ms = ?, revoked_by = ? WHERE id = ?", arguments: [nowMs, actor, id])
            var revoked = token
            revoked.revokedAtMs = nowMs
            revoked.revokedBy = actor
            return answer(revoked)
        }
        try reload()
        return reply
    }

    /// Records when a token was last used to open a connection (shown by `xinyu admin tokens`),
    /// so an administrator can spot and revoke tokens nobody uses any more.
    func noteUsed(tokenID: String, at time: Date = Date()) async {
        let ms = Int64(time.timeIntervalSince1970 * 1000)
        updateCachedToken(tokenID) { $0.lastUsedAtMs = ms }
        try? await database.write { db in
            try db.execute(sql: "UPDATE security_tokens SET last_used_at_ms = ? WHERE id = ?", arguments: [ms, tokenID])
        }
    }

    /// First start: the operator principal exists, and if it has no usable token one is
    /// written to `path` (0600). Returns a line for the operator, or nil when nothing was made.
    func bootstrapOperator(tokenFile path: String, validDays: Int) async throws -> String? {
        if storedPrincipal(Self.operatorID) == nil {
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let row = StoredPrincipal(id: Self.operatorID, kind: .operator, displayName: "local operator", roles: ["operator"],
                                      scopes: [.city], createdAtMs: now, createdBy: "xinyu-host")
            try await database.write { db in try row.insert(db) }
            try reload()
        }
        let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
        let hasActive = tokens.contains { $0.principalID == Self.operatorID && $0.isActive(atMs: nowMs) }
        guard !hasActive, !FileManager.default.fileExists(atPath: path) else { return nil }
        let (record, token) = try await issueToken(principalID: Self.operatorID, label: "operator (first start)", validDays: validDays, by: "xinyu-host")
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Created 0600 before anything is written, so the secret is never readable by others.
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw ConfigurationError("security.operator_token_file: cannot create \(path)")
        }
        try Data((token + "\n").utf8).write(to: url)
        return "operator token \(record.id) written to \(path) (mode 0600); use it for TCP connections (XINYU_TOKEN_FILE=\(path))"
    }
}
