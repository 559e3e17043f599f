import Foundation
import Testing
import XinyuChildProcess
import XinyuClient
import XinyuCoreAPI
import XinyuRPC
import XinyuWire

/// The host's TCP listener with TLS and agency client certificates (mTLS), using certificates
/// made by scripts/dev-certs.sh exactly as a new user would.
@Suite("TLS and agency certificates end to end", .serialized)
struct TLSEndToEndTests {
    static func makeCertificates(in directory: URL) async throws -> (trusted: String, stranger: String) {
        let repository = RunningHost.repositoryConfig.deletingLastPathComponent()
        for name in ["trusted", "stranger"] {
            let script = try ChildProcess.spawn(
                executable: "/bin/bash",
                arguments: [repository.appendingPathComponent("scripts/dev-certs.sh").path, directory.appendingPathComponent(name).path],
                standardError: .inherit)
            let status = await script.waitForExit()
            try #require(status == .exited(0), "scripts/dev-certs.sh \(status) (is openssl installed?)")
        }
        return (directory.appendingPathComponent("trusted").path, directory.appendingPathComponent("stranger").path)
    }

    static func tcpPort(_ host: RunningHost) throws -> Int {
        let line = try #require(host.stdout.split(separator: "\n").first { $0.contains("ready:") })
        let match = try #require(line.firstMatch(of: /tcp 127\.0\.0\.1:(\d+)/))
        return try #require(Int(match.1))
    }

    @Test func agencyCertificateIdentifiesTheAgencyAndUnknownCAIsRefused() async throws {
        let certificates = FileManager.default.temporaryDirectory.appendingPathComponent("xinyu-certs-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: certificates) }
        let (trusted, stranger) = try await Self.makeCertificates(in: certificates)
        let host = try await RunningHost(plugins: [], sections: """
            [tcp]
            listen = "127.0.0.1:0"
            certificate = "\(trusted)/server.pem"
            private_key = "\(trusted)/server.key"
            client_ca = "\(trusted)/ca.pem"
            client_certificates = "optional"
            """)
        _ = try await host.createPrincipal("agency:kangning", kind: .agency, name: "宁波市康宁医院", roles: ["agency_hospital"],
                                           scopes: [("agency", ["kangning"])], agencyKind: "hospital", certificateCN: "kangning")
        let port = try Self.tcpPort(host)

        let agency = try await XinyuClient.connect(
            to: .tcp(host: "127.0.0.1", port: port), name: "kangning-gateway",
            tls: TLSClientSettings(trustedCAPath: "\(trusted)/ca.pem", certificatePath: "\(trusted)/client-kangning.pem",
                                   privateKeyPath: "\(trusted)/client-kangning.key", serverName: "localhost"))
        let health = try await agency.call("xinyu.host.v1.Host/Health", Xinyu_Host_V1_HealthRequest(), as: Xinyu_Host_V1_HealthResponse.self)
        #expect(health.status == "serving")
        // The agency's role does not include host administration.
        await #expect(throws: RPCError.self) {
            _ = try await agency.call("xinyu.admin.v1.Admin/ListPrincipals", Xinyu_Admin_V1_ListPrincipalsRequest(), as: Xinyu_Admin_V1_ListPrincipalsResponse.self)
        }
        await agency.close()

        // Same subject (CN=kangning), but signed by a CA the host does not trust.
        await #expect(throws: (any Error).self) {
            let forged = try await XinyuClient.connect(
                to: .tcp(host: "127.0.0.1", port: port), name: "forged",
                tls: TLSClientSettings(trustedCAPath: "\(trusted)/ca.pem", certificatePath: "\(stranger)/client-kangning.pem",
                                       privateKeyPath: "\(stranger)/client-kangning.key", serverName: "localhost"))
            _ = try await forged.call("xinyu.host.v1.Host/Health", Xinyu_Host_V1_HealthRequest(), as: Xinyu_Host_V1_HealthResponse.self)
        }

        // Without a certificate or token, TCP clients are not let in.
        await #expect(throws: RPCError.self) {
            let anonymous = try await XinyuClient.connect(
                to: .tcp(host: "127.0.0.1", port: port), name: "anonymous",
                tls: TLSClientSettings(trustedCAPath: "\(trusted)/ca.pem", certificatePath: nil, privateKeyPath: nil, serverName: "localhost"))
            _ = try await anonymous.call("xinyu.host.v1.Host/Health", Xinyu_Host_V1_HealthRequest(), as: Xinyu_Host_V1_HealthResponse.self)
        }

        // A token works over TLS too; the host is checked by its IP address (not sent as SNI).
        let staff = try await XinyuClient.connect(
            to: .tcp(host: "127.0.0.1", port: port), name: "tester", token: host.testerToken,
            tls: TLSClientSettings(trustedCAPath: "\(trusted)/ca.pem", certificatePath: nil, privateKeyPath: nil, serverName: nil))
        _ = try await staff.call("xinyu.host.v1.Host/Status", Xinyu_Host_V1_StatusRequest(), as: Xinyu_Host_V1_StatusResponse.self)
        await staff.close()
        _ = try await host.stop()

        let audit = try await RunningHost(reusing: host.directory, plugins: [])
        let admin = try await audit.operatorClient()
        var query = Xinyu_Admin_V1_QueryAuditRequest()
        query.principalID = "agency:kangning"
        let records = try await admin.call("xinyu.admin.v1.Admin/QueryAudit", query, as: Xinyu_Admin_V1_QueryAuditResponse.self).records
        #expect(records.contains { $0.source.hasPrefix("tcp 127.0.0.1:") && $0.outcome == "OK" })
        #expect(records.contains { $0.outcome == "PERMISSION_DENIED" })
        _ = try await audit.stop()
    }
}
