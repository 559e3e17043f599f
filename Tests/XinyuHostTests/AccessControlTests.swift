import Foundation
import Testing
import XinyuPluginSDK
import XinyuStore
import XinyuWire
@testable import XinyuHost

@Suite("Access control: principals, roles, tokens")
struct AccessControlTests {
    static let roles = [
        RoleDefinition(name: "operator", description: "", permissions: ["admin.*", "host.status"], source: "config"),
        RoleDefinition(name: "psych_teacher", description: "", permissions: ["crisis.case.read", "crisis.notes.read"], source: "config"),
        RoleDefinition(name: "class_teacher", description: "", permissions: ["crisis.case.read"], source: "config"),
    ]

    func makeAccess() async throws -> AccessControl {
        let database = try SharedDatabase.temporary()
        try database.migrateCore()
        try database.migrate(owner: SecuritySchema.owner, SecuritySchema.migrations)
        return try AccessControl(database: database, configRoles: Self.roles)
    }

    func person(_ id: String, role: String, scopes: [DataScope]) -> StoredPrincipal {
        StoredPrincipal(id: id, kind: .person, displayName: "王老师", roles: [role], scopes: scopes, createdAtMs: 0, createdBy: "test")
    }

    @Test func issuedTokenAuthenticatesWithRolePermissionsAndScopes() async throws {
        let access = try await makeAccess()
        _ = try await access.createPrincipal(person("staff:t1", role: "psych_teacher", scopes: [DataScope(kind: "school", ids: ["S1"])]))
        let (record, token) = try await access.issueToken(principalID: "staff:t1", label: "laptop", validDays: 30, by: "operator")
        #expect(token.hasPrefix("xyt_\(record.id)_"))
        let auth = try access.authenticate(token: token).get()
        #expect(auth.principal.id == "staff:t1")
        #expect(auth.principal.displayName == "王老师")
        #expect(auth.principal.has("crisis.notes.read"))
        #expect(!auth.principal.has("admin.tokens"))
        #expect(auth.principal.scopes == [DataScope(kind: "school", ids: ["S1"])])
        #expect(access.recheck(auth) == nil)
        await access.noteUsed(tokenID: record.id, at: Date(timeIntervalSince1970: 1_800_000_000))
        try access.reload()
        #expect(access.tokens.first { $0.id == record.id }?.lastUsedAtMs == 1_800_000_000_000)
    }

    @Test func onlyTheHashOfTheSecretIsStored() async throws {
        let database = try SharedDatabase.temporary()
        try database.migrateCore()
        try database.migrate(owner: SecuritySchema.owner, SecuritySchema.migrations)
        let access = try AccessControl(database: database, configRoles: Self.roles)
        _ = try await access.createPrincipal(person("staff:t1", role: "class_teacher", scopes: [DataScope(kind: "class", ids: ["C1"])]))
        let (_, token) = try await access.issueToken(principalID: "staff:t1", label: "", validDays: 1, by: "operator")
        let secret = String(token.split(separator: "_")[2])
        let stored = try database.readSync { db in try String.fetchAll(db, sql: "SELECT secret_hash || label || id FROM security_tokens") }
        #expect(!stored.joined().contains(secret))
    }

    @Test func revokedTokenIsRefusedAndOpenConnectionsFailTheirNextCall() async throws {
        let access = try await makeAccess()
        _ = try await access.createPrincipal(person("staff:t1", role: "class_teacher", scopes: [DataScope(kind: "class", ids: ["C1"])]))
        let (record, token) = try await access.issueToken(principalID: "staff:t1", label: "", validDays: 30, by: "operator")
        let auth = try access.authenticate(token: token).get()
        _ = try await access.revokeToken(record.id, by: "operator")
        #expect(access.recheck(auth)?.code == .unauthenticated)
        guard case .failure(let error) = access.authenticate(token: token) else { Issue.record("revoked token accepted"); return }
        #expect(error.code == .unauthenticated)
        #expect(error.message.contains("revoked"))
        #expect(!error.message.contains(String(token.split(separator: "_")[2])))
    }

    @Test func expiredTokenIsRefused() async throws {
        let access = try await makeAccess()
        _ = try await access.createPrincipal(person("staff:t1", role: "class_teacher", scopes: [DataScope(kind: "class", ids: ["C1"])]))
        let (_, token) = try await access.issueToken(principalID: "staff:t1", label: "", validDays: 1, by: "operator")
        let later = Date().addingTimeInterval(2 * 86_400)
        guard case .failure(let error) = access.authenticate(token: token, now: later) else { Issue.record("expired token accepted"); return }
        #expect(error.code == .unauthenticated)
        #expect(error.message.contains("expired"))
    }

    @Test func wrongSecretAndMalformedTokensAreRefused() async throws {
        let access = try await makeAccess()
        _ = try await access.createPrincipal(person("staff:t1", role: "class_teacher", scopes: [DataScope(kind: "class", ids: ["C1"])]))
        let (record, _) = try await access.issueToken(principalID: "staff:t1", label: "", validDays: 1, by: "operator")
        let forged = "xyt_\(record.id)_" + String(repeating: "a", count: 64)
        for token in [forged, "not-a-token", "xyt_short_x", ""] {
            guard case .failure(let error) = access.authenticate(token: token) else { Issue.record("accepted \(token)"); continue }
            #expect(error.code == .unauthenticated)
        }
    }

    @Test func disablingAPrincipalStopsItsTokens() async throws {
        let access = try await makeAccess()
        _ = try await access.createPrincipal(person("staff:t1", role: "class_teacher", scopes: [DataScope(kind: "class", ids: ["C1"])]))
        let (_, token) = try await access.issueToken(principalID: "staff:t1", label: "", validDays: 1, by: "operator")
        let auth = try access.authenticate(token: token).get()
        _ = try await access.setDisabled("staff:t1", disabled: true)
        #expect(access.recheck(auth)?.message.contains("disabled") == true)
    }

    @Test(arguments: [
        (StoredPrincipal(id: "BAD ID", kind: .person, displayName: "x", roles: [], scopes: [], createdAtMs: 0, createdBy: ""), "field id"),
        (StoredPrincipal(id: "staff:x", kind: .person, displayName: "x", roles: ["nope"], scopes: [], createdAtMs: 0, createdBy: ""), "field roles[0]"),
        (StoredPrincipal(id: "staff:x", kind: .person, displayName: "x", roles: [], scopes: [DataScope(kind: "planet", ids: ["x"])], createdAtMs: 0, createdBy: ""), "field scopes[0].kind"),
        (StoredPrincipal(id: "staff:x", kind: .person, displayName: "x", roles: [], scopes: [DataScope(kind: "school", ids: [])], createdAtMs: 0, createdBy: ""), "field scopes[0].ids"),
        (StoredPrincipal(id: "agency:x", kind: .agency, displayName: "x", roles: [], scopes: [], agencyKind: "bakery", createdAtMs: 0, createdBy: ""), "field agency_kind"),
        (StoredPrincipal(id: "agency:x", kind: .agency, displayName: "x", roles: [], scopes: [.city], agencyKind: "police", createdAtMs: 0, createdBy: ""), "field scopes"),
    ])
    func invalidPrincipalsAreRejectedNamingTheField(principal: StoredPrincipal, field: String) async throws {
        let access = try await makeAccess()
        do {
            _ = try await access.createPrincipal(principal)
            Issue.record("accepted an invalid principal")
        } catch let error as RPCError {
            #expect(error.code == .invalidArgument)
            #expect(error.message.hasPrefix(field))
        }
        #expect(access.storedPrincipal(principal.id) == nil)
    }

    @Test func certificateCommonNameMapsToTheAgency() async throws {
        let access = try await makeAccess()
        let agency = StoredPrincipal(id: "agency:kangning", kind: .agency, displayName: "宁波市康宁医院", roles: ["class_teacher"],
                                     scopes: [DataScope(kind: "agency", ids: ["kangning"])], agencyKind: "hospital",
                                     certificateCommonName: "kangning", createdAtMs: 0, createdBy: "test")
        _ = try await access.createPrincipal(agency)
        let auth = try access.authenticate(certificateCommonName: "kangning").get()
        #expect(auth.principal.id == "agency:kangning")
        #expect(auth.principal.agencyKind == "hospital")
        guard case .failure = access.authenticate(certificateCommonName: "someone-else") else { Issue.record("unknown CN accepted"); return }
    }

    @Test func operatorIsBootstrappedOnceWithATokenFileReadableOnlyByTheOwner() async throws {
        let access = try await makeAccess()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xinyu-op-\(UUID().uuidString)")
        let path = dir.appendingPathComponent("operator.token").path
        let line = try await access.bootstrapOperator(tokenFile: path, validDays: 30)
        #expect(line?.contains(path) == true)
        let token = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(line?.contains(String(token.split(separator: "_")[2])) == false)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try access.authenticate(token: token).get().principal.id == "operator")
        #expect(try await access.bootstrapOperator(tokenFile: path, validDays: 30) == nil)
    }
}

/// The admin changes as these tests make them: outside any call, the written row as the answer.
extension AccessControl {
    func createPrincipal(_ principal: StoredPrincipal) async throws -> StoredPrincipal {
        try await createPrincipal(principal, through: .outsideCalls(database), answer: { $0 })
    }

    func setDisabled(_ id: String, disabled: Bool) async throws -> StoredPrincipal {
        try await setDisabled(id, disabled: disabled, through: .outsideCalls(database), answer: { $0 })
    }

    func revokeToken(_ id: String, by actor: String) async throws -> StoredToken {
        try await revokeToken(id, by: actor, through: .outsideCalls(database), answer: { $0 })
    }
}
