import Foundation
import GRDB
import NIOConcurrencyHelpers
import XinyuPluginSDK
import XinyuStore
import XinyuWire

/// Who may connect and what they may do: principals, roles and tokens, cached in memory.
///
/// The tables are small (thousands of rows), so the whole set is held in memory and reloaded
/// after every change: authenticating a connection or re-checking a token on each call is a
/// dictionary lookup, never a database read. Every change is written to the database first.
final class AccessControl: Sendable {
    /// A caller the host has identified.
    struct Authenticated: Sendable {
        var principal: Principal
        /// The token it presented, re-checked on every call so a revocation takes effect at once.
        var tokenID: String?
    }

    private struct Snapshot {
        var configRoles: [String: RoleDefinition] = [:]
        var adminRoles: [String: RoleDefinition] = [:]
        var principals: [String: StoredPrincipal] = [:]
        var tokens: [String: StoredToken] = [:]
        var byCertificate: [String: String] = [:]
    }

    static let operatorID = "operator"
    let database: SharedDatabase
    private let state = NIOLockedValueBox(Snapshot())

    init(database: SharedDatabase, configRoles: [RoleDefinition]) throws {
        self.database = database
        setConfigRoles(configRoles)
        try reload()
    }

    /// Replaces the roles that come from the roles file (start-up and `ReloadConfiguration`).
    func setConfigRoles(_ roles: [RoleDefinition]) {
        state.withLockedValue { s in s.configRoles = Dictionary(roles.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }) }
    }

    /// Re-reads principals, run-time roles and tokens from the database.
    func reload() throws {
        let (principals, tokens, roles) = try database.readSync { db in
            (try StoredPrincipal.fetchAll(db), try StoredToken.fetchAll(db),
             try Row.fetchAll(db, sql: "SELECT name, description, permissions FROM security_roles").map { row in
                 RoleDefinition(name: row["name"], description: row["description"],
                                permissions: (try? JSONDecoder().decode([String].self, from: Data((row["permissions"] as String).utf8))) ?? [],
                                source: "admin")
             })
        }
        state.withLockedValue { s in
            s.principals = Dictionary(principals.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            s.tokens = Dictionary(tokens.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            s.adminRoles = Dictionary(roles.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            s.byCertificate = Dictionary(principals.compactMap { p in p.certificateCommonName.map { ($0, p.id) } }, uniquingKeysWith: { a, _ in a })
        }
    }

    func updateCachedToken(_ id: String, _ change: (inout StoredToken) -> Void) {
        state.withLockedValue { s in
            if var token = s.tokens[id] {
                change(&token)
                s.tokens[id] = token
            }
        }
    }

    // MARK: Reading

    var roles: [RoleDefinition] {
        state.withLockedValue { s in (Array(s.configRoles.values) + s.adminRoles.values.filter { s.configRoles[$0.name] == nil }).sorted { $0.name < $1.name } }
    }

    func role(_ name: String) -> RoleDefinition? {
        state.withLockedValue { $0.configRoles[name] ?? $0.adminRoles[name] }
    }

    var principals: [StoredPrincipal] { state.withLockedValue { $0.principals.values.sorted { $0.id < $1.id } } }

    func storedPrincipal(_ id: String) -> StoredPrincipal? { state.withLockedValue { $0.principals[id] } }

    var tokens: [StoredToken] { state.withLockedValue { $0.tokens.values.sorted { ($0.createdAtMs, $0.id) < ($1.createdAtMs, $1.id) } } }

    /// The principal as calls carry it: roles expanded into permissions.
    func principal(for stored: StoredPrincipal) -> Principal {
        state.withLockedValue { s in Self.expand(stored, roles: s) }
    }

    private static func expand(_ stored: StoredPrincipal, roles s: Snapshot) -> Principal {
        var permissions = Set<String>()
        for name in stored.roles {
            if let role = s.configRoles[name] ?? s.adminRoles[name] { permissions.formUnion(role.permissions) }
        }
        return Principal(id: stored.id, kind: stored.kind, displayName: stored.displayName, roles: stored.roles,
                         permissions: permissions, scopes: stored.scopes, agencyKind: stored.agencyKind)
    }

    /// The local operator, as identified by the Unix socket's peer credentials.
    func operatorPrincipal() -> Principal? {
        storedPrincipal(Self.operatorID).map(principal(for:))
    }

    // MARK: Authenticating

    /// Checks a bearer token. The failure message never repeats the secret.
    func authenticate(token: String, now: Date = Date()) -> Result<Authenticated, RPCError> {
        guard let parsed = TokenFormat.parse(token) else {
            return .failure(RPCError(.unauthenticated, "the token is not a Xinyu API token (expected xyt_<id>_<secret>); ask an administrator for one (xinyu admin tokens issue)"))
        }
        let hash = TokenFormat.hash(secret: parsed.secret)
        return state.withLockedValue { s -> Result<Authenticated, RPCError> in
            guard let stored = s.tokens[parsed.id], TokenFormat.constantTimeEqual(stored.secretHash, hash) else {
                return .failure(RPCError(.unauthenticated, "token \(parsed.id) is not recognised"))
            }
            if let problem = Self.problem(with: stored, principals: s.principals, now: now) { return .failure(problem) }
            guard let owner = s.principals[stored.principalID] else {
                return .failure(RPCError(.unauthenticated, "token \(stored.id) belongs to a principal that no longer exists"))
            }
            return .success(Authenticated(principal: Self.expand(owner, roles: s), tokenID: stored.id))
        }
    }

    /// Maps a verified client certificate's common name to its agency principal.
    func authenticate(certificateCommonName cn: String) -> Result<Authenticated, RPCError> {
        guard let id = state.withLockedValue({ $0.byCertificate[cn] }), let stored = storedPrincipal(id) else {
            return .failure(RPCError(.unauthenticated, "no principal is registered for client certificate CN=\(cn); an administrator registers it with xinyu admin principals create --certificate-cn"))
        }
        guard !stored.disabled else {
            return .failure(RPCError(.unauthenticated, "principal \(id) is disabled"))
        }
        return .success(Authenticated(principal: principal(for: stored), tokenID: nil))
    }

    /// Re-checks a connection's token before each call: nil when still good.
    func recheck(_ auth: Authenticated, now: Date = Date()) -> RPCError? {
        guard let tokenID = auth.tokenID else {
            if let stored = storedPrincipal(auth.principal.id), stored.disabled {
                return RPCError(.unauthenticated, "principal \(stored.id) is disabled")
            }
            return nil
        }
        return state.withLockedValue { s in
            guard let stored = s.tokens[tokenID] else { return RPCError(.unauthenticated, "token \(tokenID) no longer exists") }
            return Self.problem(with: stored, principals: s.principals, now: now)
        }
    }

    private static func problem(with token: StoredToken, principals: [String: StoredPrincipal], now: Date) -> RPCError? {
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        if token.isRevoked {
            return RPCError(.unauthenticated, "token \(token.id) was revoked at \(Self.format(ms: token.revokedAtMs)); ask an administrator for a new one")
        }
        if nowMs >= token.expiresAtMs {
            return RPCError(.unauthenticated, "token \(token.id) expired at \(Self.format(ms: token.expiresAtMs)); ask an administrator for a new one")
        }
        guard let principal = principals[token.principalID] else {
            return RPCError(.unauthenticated, "token \(token.id) belongs to a principal that no longer exists")
        }
        if principal.disabled { return RPCError(.unauthenticated, "principal \(principal.id) is disabled") }
        return nil
    }

    static func format(ms: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
