import Foundation
import Testing
import XinyuCoreAPI
import XinyuStore
import XinyuWire
@testable import XinyuHost
@testable import XinyuPluginSDK

/// The host's own admin writes keep the idempotency promise as plugins do: the reply is recorded
/// for the key in the transaction that makes the change (issue 11 §1), so a host killed right
/// after the commit still replays the first answer instead of ABORTED "answer was lost".
@Suite("Admin writes commit their answer with the change")
struct AdminAnswerCommitTests {
    func makeAccess() throws -> AccessControl {
        let database = try SharedDatabase.temporary()
        try database.migrateCore()
        try database.migrate(owner: SecuritySchema.owner, SecuritySchema.migrations)
        return try AccessControl(database: database, configRoles: AccessControlTests.roles)
    }

    /// A store as the dispatcher makes one for a call with `key` (nothing else recorded yet).
    func store(_ access: AccessControl, method: String, key: String) -> (CallStore, IdempotencyScope) {
        let scope = IdempotencyScope(owner: "host", method: method, principalID: "operator", key: key)
        let store = CallStore(database: access.database, idempotency: (scope, IdempotencyLedger.digest(Array(key.utf8))),
                              answerType: method.hasSuffix("CreateRole") ? Xinyu_Admin_V1_RoleRecord.self
                                  : method.hasSuffix("RevokeToken") ? Xinyu_Admin_V1_TokenRecord.self : Xinyu_Admin_V1_PrincipalRecord.self)
        return (store, scope)
    }

    func ledger(_ access: AccessControl, _ scope: IdempotencyScope, key: String) async throws -> IdempotencyState {
        try await access.database.read { db in try IdempotencyLedger.state(db, scope: scope, requestDigest: IdempotencyLedger.digest(Array(key.utf8))) }
    }

    @Test("CreatePrincipal, SetPrincipalDisabled, CreateRole and RevokeToken: the key is answered as soon as the change commits")
    func answeredWithTheChange() async throws {
        let access = try makeAccess()
        let person = StoredPrincipal(id: "staff:t7", kind: .person, displayName: "陈老师", roles: ["class_teacher"],
                                     scopes: [DataScope(kind: "class", ids: ["C1"])], createdAtMs: 0, createdBy: "operator")

        let (created, createdScope) = store(access, method: "xinyu.admin.v1.Admin/CreatePrincipal", key: "k1")
        let reply = try await access.createPrincipal(person, through: created, answer: AdminWire.record)
        guard case .answered(let answer) = try await ledger(access, createdScope, key: "k1") else {
            Issue.record("CreatePrincipal's key is not answered by the write itself"); return
        }
        #expect(try Xinyu_Admin_V1_PrincipalRecord(serializedBytes: answer.response) == reply)
        #expect(reply.displayName == "陈老师")

        let (disabled, disabledScope) = store(access, method: "xinyu.admin.v1.Admin/SetPrincipalDisabled", key: "k2")
        let off = try await access.setDisabled("staff:t7", disabled: true, through: disabled, answer: AdminWire.record)
        #expect(off.disabled)
        guard case .answered = try await ledger(access, disabledScope, key: "k2") else { Issue.record("SetPrincipalDisabled not answered by its write"); return }

        let (role, roleScope) = store(access, method: "xinyu.admin.v1.Admin/CreateRole", key: "k3")
        _ = try await access.createRole(RoleDefinition(name: "night_duty", description: "值班", permissions: ["host.status"], source: "admin"),
                                        by: "operator", through: role, answer: AdminWire.record)
        guard case .answered = try await ledger(access, roleScope, key: "k3") else { Issue.record("CreateRole not answered by its write"); return }

        _ = try await access.setDisabled("staff:t7", disabled: false, through: .outsideCalls(access.database), answer: { $0 })
        let (token, _) = try await access.issueToken(principalID: "staff:t7", label: "", validDays: 1, by: "operator")
        let (revoke, revokeScope) = store(access, method: "xinyu.admin.v1.Admin/RevokeToken", key: "k4")
        let revoked = try await access.revokeToken(token.id, by: "operator", through: revoke, answer: AdminWire.record)
        #expect(revoked.revokedAtMs > 0)
        guard case .answered = try await ledger(access, revokeScope, key: "k4") else { Issue.record("RevokeToken not answered by its write"); return }
    }
}
