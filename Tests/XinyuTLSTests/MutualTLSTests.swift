import Foundation
import NIOCore
import Testing
import XinyuRPC
import XinyuWire

@Suite("Mutual TLS over TCP")
struct MutualTLSTests {
    let certificates: TestCertificates

    init() throws { certificates = try TestCertificates.get() }

    func server(_ policy: ClientCertificatePolicy) -> TLSServerSettings {
        let dir = certificates.trusted
        return TLSServerSettings(
            certificateChainPath: certificates.file(dir, "server.pem"), privateKeyPath: certificates.file(dir, "server.key"),
            clientCAPath: certificates.file(dir, "ca.pem"), clientCertificates: policy)
    }

    /// A client trusting `trustFolder`'s CA and presenting `certificateFolder`'s agency certificate.
    func client(trusting trustFolder: String, presenting certificateFolder: String?) -> TLSClientSettings {
        TLSClientSettings(
            trustedCAPath: certificates.file(trustFolder, "ca.pem"),
            certificatePath: certificateFolder.map { certificates.file($0, "client-kangning.pem") },
            privateKeyPath: certificateFolder.map { certificates.file($0, "client-kangning.key") })
    }

    @Test("an agency certificate from the trusted CA connects, calls, and is seen by authenticate")
    func roundTrip() async throws {
        try await TLSHarness.with(server(.required)) { harness in
            let connection = try await harness.connect(client(trusting: certificates.trusted, presenting: certificates.trusted))
            #expect(try await harness.echo("你好", on: connection) == "你好")
            #expect(connection.peerPrincipal.id == "agency:kangning")

            let seen = try #require(harness.server.authenticatedCertificates.first)
            let certificate = try #require(seen)
            #expect(certificate.commonName == "kangning")
            #expect(certificate.organization == "宁波市康宁医院")
            #expect(certificate.organizationalUnit == "hospital")
            #expect(certificate.sha256Fingerprint == (try openSSLFingerprint(certificates.file(certificates.trusted, "client-kangning.pem"))))
            #expect(certificate.serialNumber == (try openSSLSerial(certificates.file(certificates.trusted, "client-kangning.pem"))))
            #expect(harness.server.remoteAddresses.first?.hasPrefix("tcp 127.0.0.1:") == true)
            // The client sees the server's certificate too.
            #expect(connection.peerCertificate?.commonName == "localhost")
            connection.close(reason: "test done")
        }
    }

    @Test("a client certificate from an unknown CA is refused in the TLS handshake")
    func unknownCA() async throws {
        try await TLSHarness.with(server(.required)) { harness in
            let error = await #expect(throws: RPCError.self) {
                try await harness.connect(client(trusting: certificates.trusted, presenting: certificates.stranger))
            }
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("does not trust the CA that issued our certificate") == true, "\(String(describing: error))")
            let reasons = try await harness.waitForServerCloses(1)
            #expect(reasons.first?.contains("TLS handshake failed") == true)
            #expect(harness.server.authenticatedCertificates.isEmpty, "no Hello may reach the delegate")
        }
    }

    @Test("no client certificate is refused when one is required")
    func missingCertificate() async throws {
        try await TLSHarness.with(server(.required)) { harness in
            let error = await #expect(throws: RPCError.self) {
                try await harness.connect(client(trusting: certificates.trusted, presenting: nil))
            }
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("requires a client certificate") == true, "\(String(describing: error))")
            let reasons = try await harness.waitForServerCloses(1)
            #expect(reasons.first?.contains("no client certificate") == true, "\(reasons)")
            #expect(harness.server.authenticatedCertificates.isEmpty)
        }
    }

    @Test("a client that does not trust the server's CA refuses the server")
    func untrustedServer() async throws {
        try await TLSHarness.with(server(.required)) { harness in
            let error = await #expect(throws: RPCError.self) {
                try await harness.connect(client(trusting: certificates.stranger, presenting: certificates.trusted))
            }
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("TLS handshake failed: the peer's certificate was not issued by a trusted CA") == true, "\(String(describing: error))")
            #expect(harness.server.authenticatedCertificates.isEmpty)
        }
    }

    @Test("with optional client certificates a peer without one connects, and has none")
    func optionalWithout() async throws {
        try await TLSHarness.with(server(.optional)) { harness in
            let connection = try await harness.connect(client(trusting: certificates.trusted, presenting: nil))
            #expect(try await harness.echo("ping", on: connection) == "ping")
            #expect(harness.server.authenticatedCertificates == [nil])
            connection.close(reason: "test done")
        }
    }

    @Test("with optional client certificates one from an unknown CA is still refused")
    func optionalUnknownCA() async throws {
        try await TLSHarness.with(server(.optional)) { harness in
            await #expect(throws: RPCError.self) {
                try await harness.connect(client(trusting: certificates.trusted, presenting: certificates.stranger))
            }
            #expect(harness.server.authenticatedCertificates.isEmpty)
        }
    }

    @Test("a plain client cannot talk to a TLS listener")
    func plainClient() async throws {
        try await TLSHarness.with(server(.none)) { harness in
            await #expect(throws: RPCError.self) { try await harness.connect(nil) }
            #expect(harness.server.authenticatedCertificates.isEmpty)
        }
    }
}

/// What `openssl x509` says, to check our reading of the certificate against an outside tool.
func openSSLFingerprint(_ path: String) throws -> String {
    // "sha256 Fingerprint=AB:CD:..." → "abcd..."
    let line = try runOpenSSL(["x509", "-in", path, "-noout", "-fingerprint", "-sha256"])
    return String(line.split(separator: "=").last ?? "").replacingOccurrences(of: ":", with: "").lowercased()
}

func openSSLSerial(_ path: String) throws -> String {
    let line = try runOpenSSL(["x509", "-in", path, "-noout", "-serial"])
    return String(line.split(separator: "=").last ?? "").lowercased()
}

private func runOpenSSL(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["openssl"] + arguments
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}
