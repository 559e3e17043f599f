import Foundation
import GRDB
import SwiftProtobuf
import Testing
import XinyuAudit
import XinyuClient
import XinyuCoreAPI
import XinyuCrisisAPI
import XinyuFixtureAPI
import XinyuRPC
import XinyuStore
import XinyuWire

/// Tokens, roles, scopes and the audit trail through the real host and plugin processes.
@Suite("Security end to end", .serialized)
struct SecurityEndToEndTests {
    /// Calls `method` and returns its status code (OK when it answered).
    static func code(_ client: XinyuClient, _ method: String, _ request: some SwiftProtobuf.Message) async -> StatusCode {
        do {
            _ = try await client.callRaw(method, request: try request.serializedBytes(), options: CallOptions(timeout: .seconds(10)))
            return .ok
        } catch let error as RPCError {
            return error.code
        } catch {
            return .unknown
        }
    }

    /// Default role × a representative method of each service: allowed (the host let it through
    /// to the handler) or denied (PERMISSION_DENIED before the handler), as docs/SECURITY.md says.
    @Test func permissionMatrixOfTheDefaultRoles() async throws {
        let host = try await RunningHost(plugins: ["crisis"])
        let methods: [(String, any SwiftProtobuf.Message)] = [
            ("xinyu.crisis.v1.Crisis/GetWarningLevel", Xinyu_Crisis_V1_GetWarningLevelRequest()),
            ("xinyu.crisis.v1.Crisis/ListNotes", Xinyu_Crisis_V1_ListNotesRequest()),
            ("xinyu.crisis.v1.Crisis/SubmitScreening", Xinyu_Crisis_V1_SubmitScreeningRequest()),
            ("xinyu.crisis.v1.Crisis/GetStatistics", Xinyu_Crisis_V1_GetStatisticsRequest()),
            ("xinyu.crisis.v1.Crisis/ExportWarnings", Xinyu_Crisis_V1_ExportWarningsRequest()),
            ("xinyu.crisis.v1.Crisis/RecordReferralOutcome", Xinyu_Crisis_V1_RecordReferralOutcomeRequest()),
            ("xinyu.crisis.v1.Crisis/DecideApproval", Xinyu_Crisis_V1_DecideApprovalRequest()),
            ("xinyu.crisis.v1.Crisis/RaiseConcern", Xinyu_Crisis_V1_RaiseConcernRequest()),
            ("xinyu.host.v1.Host/Status", Xinyu_Host_V1_StatusRequest()),
            ("xinyu.directory.v1.Directory/ListSchools", Xinyu_Directory_V1_ListSchoolsRequest()),
            ("xinyu.directory.v1.Directory/ImportRoster", Xinyu_Directory_V1_ImportRosterRequest()),
            ("xinyu.admin.v1.Admin/ListPrincipals", Xinyu_Admin_V1_ListPrincipalsRequest()),
            ("xinyu.admin.v1.Admin/IssueToken", Xinyu_Admin_V1_IssueTokenRequest()),
            ("xinyu.admin.v1.Admin/VerifyAudit", Xinyu_Admin_V1_VerifyAuditRequest()),
            ("xinyu.admin.v1.Admin/WhoAccessed", Xinyu_Admin_V1_WhoAccessedRequest()),
        ]
        // true = allowed. Columns follow `methods`: 8 crisis methods (level, notes, screening,
        // statistics, export, referral outcome, approval, concern), then status, directory read,
        // directory import, admin principals, admin tokens, audit verify, who-accessed.
        let o = true, x = false
        let expected: [String: [Bool]] = [
            "operator":           [x, x, x, x, x, x, x, x,  o, o, o, o, o, o, x],
            "privacy_officer":    [x, x, x, x, x, x, x, x,  o, x, x, x, x, o, o],
            "city_staff":         [x, x, x, o, o, x, x, x,  x, o, x, x, x, x, x],
            "growth_centre":      [o, o, o, o, o, o, o, o,  x, o, x, x, x, x, o],
            "principal":          [o, x, x, o, x, x, o, x,  x, o, x, x, x, x, x],
            "psych_teacher":      [o, o, o, o, x, x, x, o,  x, o, x, x, x, x, o],
            "class_teacher":      [o, x, x, x, x, x, x, o,  x, o, x, x, x, x, x],
            "mentor":             [x, x, x, x, x, x, x, o,  x, o, x, x, x, x, x],
            "subject_teacher":    [x, x, x, x, x, x, x, o,  x, x, x, x, x, x, x],
            "screening_platform": [x, x, o, x, x, x, x, x,  x, x, x, x, x, x, x],
            "agency_hospital":    [x, x, x, x, x, o, x, x,  x, x, x, x, x, x, x],
            "agency_partner":     [x, x, x, x, x, x, x, x,  x, x, x, x, x, x, x],
        ]
        for (role, allowed) in expected.sorted(by: { $0.key < $1.key }) {
            let isAgency = role.hasPrefix("agency_")
            let token = try await host.createPrincipal(
                "m:\(role)", kind: isAgency ? .agency : .person, roles: [role],
                scopes: isAgency ? [("agency", ["a1"])] : [("city", [])], agencyKind: isAgency ? "hospital" : "")
            let client = try await host.client(token: token)
            for (index, (method, request)) in methods.enumerated() {
                let code = await Self.code(client, method, request)
                if allowed[index] {
                    #expect(code != .permissionDenied && code != .unauthenticated, "\(role) should be allowed \(method), got \(code.name)")
                } else {
                    #expect(code == .permissionDenied, "\(role) should be denied \(method), got \(code.name)")
                }
            }
            await client.close()
        }
        _ = try await host.stop()
    }

    @Test func agencyReadingAnotherAgencysRecordIsDeniedAndAudited() async throws {
        let host = try await RunningHost(plugins: ["probe"])
        let tester = try await host.client()
        var share = Xinyu_Fixture_V1_ShareRequest()
        share.studentID = "S-0001"
        share.agencyID = "kangning"
        share.note = "转介康宁医院"
        let shared = try await tester.call("xinyu.fixture.v1.Probe/Share", share, as: Xinyu_Fixture_V1_ShareReply.self)

        try await host.addRole("agency_reader", permissions: ["probe.shared.read"])
        let kangning = try await host.client(token: try await host.createPrincipal(
            "agency:kangning", kind: .agency, name: "宁波市康宁医院", roles: ["agency_reader"], scopes: [("agency", ["kangning"])], agencyKind: "hospital"))
        let police = try await host.client(token: try await host.createPrincipal(
            "agency:police7", kind: .agency, name: "公安分局", roles: ["agency_reader"], scopes: [("agency", ["police7"])], agencyKind: "police"))
        var read = Xinyu_Fixture_V1_ReadSharedRequest()
        read.shareID = shared.shareID
        let own = try await kangning.call("xinyu.fixture.v1.Probe/ReadShared", read, as: Xinyu_Fixture_V1_ReadSharedReply.self)
        #expect(own.note == "转介康宁医院")
        await #expect(throws: RPCError.self) {
            _ = try await police.call("xinyu.fixture.v1.Probe/ReadShared", read, as: Xinyu_Fixture_V1_ReadSharedReply.self)
        }
        #expect(await Self.code(police, "xinyu.fixture.v1.Probe/ReadShared", read) == .permissionDenied)

        let audit = try await host.operatorClient()
        var query = Xinyu_Admin_V1_QueryAuditRequest()
        query.principalID = "agency:police7"
        let records = try await audit.call("xinyu.admin.v1.Admin/QueryAudit", query, as: Xinyu_Admin_V1_QueryAuditResponse.self).records
        let denied = records.filter { $0.method == "xinyu.fixture.v1.Probe/ReadShared" && $0.outcome == "PERMISSION_DENIED" }
        #expect(denied.count == 2)
        #expect(denied.allSatisfy { $0.detail.contains("scope violation") && $0.subjects == ["S-0001"] })
        var who = Xinyu_Admin_V1_QueryAuditRequest()
        who.subject = "S-0001"
        let touching = try await audit.call("xinyu.admin.v1.Admin/QueryAudit", who, as: Xinyu_Admin_V1_QueryAuditResponse.self).records
        #expect(Set(touching.map(\.principalID)) == ["e2e:tester", "agency:kangning", "agency:police7"])
        _ = try await host.stop()
    }

    @Test func revokedTokensAreRefusedOnNewAndOpenConnections() async throws {
        let host = try await RunningHost(plugins: [])
        let token = try await host.createPrincipal("staff:t9", roles: ["privacy_officer"], scopes: [("city", [])])
        let open = try await host.client(token: token)
        #expect(await Self.code(open, "xinyu.admin.v1.Admin/VerifyAudit", Xinyu_Admin_V1_VerifyAuditRequest()) == .ok)

        let admin = try await host.operatorClient()
        var list = Xinyu_Admin_V1_ListTokensRequest()
        list.principalID = "staff:t9"
        let id = try #require(try await admin.call("xinyu.admin.v1.Admin/ListTokens", list, as: Xinyu_Admin_V1_ListTokensResponse.self).tokens.first).id
        var revoke = Xinyu_Admin_V1_RevokeTokenRequest()
        revoke.id = id
        revoke.reason = "laptop lost"
        _ = try await admin.call("xinyu.admin.v1.Admin/RevokeToken", revoke, as: Xinyu_Admin_V1_TokenRecord.self)

        #expect(await Self.code(open, "xinyu.admin.v1.Admin/VerifyAudit", Xinyu_Admin_V1_VerifyAuditRequest()) == .unauthenticated)
        do {
            let again = try await host.client(token: token)
            let code = await Self.code(again, "xinyu.host.v1.Host/Health", Xinyu_Host_V1_HealthRequest())
            #expect(code == .unauthenticated)
        } catch let error as RPCError {
            #expect(error.code == .unauthenticated)
            #expect(error.message.contains("revoked"))
        }
        do {
            _ = try await host.client(token: "xyt_000000000000_" + String(repeating: "0", count: 64))
            Issue.record("a forged token was accepted")
        } catch let error as RPCError {
            #expect(error.code == .unauthenticated)
        }
        var failures = Xinyu_Admin_V1_QueryAuditRequest()
        failures.method = "(handshake)"
        let refused = try await admin.call("xinyu.admin.v1.Admin/QueryAudit", failures, as: Xinyu_Admin_V1_QueryAuditResponse.self).records
        #expect(refused.count >= 2 && refused.allSatisfy { $0.outcome == "UNAUTHENTICATED" && $0.source.hasPrefix("unix") })
        _ = try await host.stop()
        let operatorToken = try String(contentsOf: host.directory.appendingPathComponent("operator.token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        for secret in [token, operatorToken, host.testerToken] {
            let secretPart = String(secret.split(separator: "_").last ?? "")
            #expect(!host.log.contains(secretPart) && !host.stdout.contains(secretPart), "a token secret reached the host's output")
        }
        #expect(host.log.contains("operator.token"), "the first start should say where the operator token is")
        #expect(host.log.contains("authentication failed"))
    }

    @Test func tamperedAuditDatabaseIsDetectedAtTheEditedEntry() async throws {
        let host = try await RunningHost(plugins: [])
        let client = try await host.operatorClient()
        for _ in 0..<5 { _ = try await client.call("xinyu.host.v1.Host/Health", Xinyu_Host_V1_HealthRequest(), as: Xinyu_Host_V1_HealthResponse.self) }
        let intact = try await client.call("xinyu.admin.v1.Admin/VerifyAudit", Xinyu_Admin_V1_VerifyAuditRequest(), as: Xinyu_Admin_V1_VerifyAuditResponse.self)
        #expect(intact.intact)
        #expect(intact.checked >= 5)
        await client.close()
        _ = try await host.stop()

        // Someone with write access to the database file edits entry 3.
        // The audit trail lives in its own file beside the main database (audit.sqlite).
        let database = try DatabaseQueue(path: host.directory.appendingPathComponent("audit.sqlite").path)
        try await database.write { db in
            for trigger in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'audit%'") {
                try db.execute(sql: "DROP TRIGGER \(trigger)")
            }
            try db.execute(sql: "UPDATE audit_entries SET principal_id = 'someone-else' WHERE sequence = 3")
        }
        try await database.close()

        let restarted = try await RunningHost(reusing: host.directory, plugins: [])
        let again = try await restarted.operatorClient()
        let broken = try await again.call("xinyu.admin.v1.Admin/VerifyAudit", Xinyu_Admin_V1_VerifyAuditRequest(), as: Xinyu_Admin_V1_VerifyAuditResponse.self)
        #expect(!broken.intact)
        #expect(broken.brokenAtSequence == 3)
        #expect(broken.problem.contains("3"))
        _ = try await restarted.stop()
    }

    @Test func aTrailKeptInTheMainDatabaseByAnOlderHostMovesToTheAuditFileOnStart() async throws {
        let host = try await RunningHost(plugins: [])
        let client = try await host.operatorClient()
        for _ in 0..<3 { _ = try await client.call("xinyu.host.v1.Host/Health", Xinyu_Host_V1_HealthRequest(), as: Xinyu_Host_V1_HealthResponse.self) }
        await client.close()
        _ = try await host.stop()

        // Lay the folder out as an older host left it: the trail in the main database, no audit file.
        let auditPath = host.directory.appendingPathComponent("audit.sqlite").path
        let main = try SharedDatabase.open(path: host.directory.appendingPathComponent("xinyu.sqlite").path)
        try main.migrate(owner: AuditLog.owner, AuditLog.migrations)
        let key = try AuditLog.loadOrCreateKey(at: host.directory.appendingPathComponent("audit.key").path)
        let moved = try AuditLog(database: main, key: key).adoptLegacyTrail(from: auditPath)
        #expect(moved >= 3)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: auditPath + suffix) }

        let restarted = try await RunningHost(reusing: host.directory, plugins: [])
        let again = try await restarted.operatorClient()
        let verified = try await again.call("xinyu.admin.v1.Admin/VerifyAudit", Xinyu_Admin_V1_VerifyAuditRequest(), as: Xinyu_Admin_V1_VerifyAuditResponse.self)
        #expect(verified.intact)
        #expect(verified.firstSequence == 1)
        #expect(verified.checked > UInt64(moved))
        #expect(FileManager.default.fileExists(atPath: auditPath))
        await again.close()
        _ = try await restarted.stop()
        #expect(restarted.log.contains("moved the audit trail to its own database"))
    }
}
