import Foundation
import Testing
import XinyuRPC

@Suite("TLS settings errors name the file")
struct TLSSettingsTests {
    let certificates: TestCertificates

    init() throws { certificates = try TestCertificates.get() }

    var dir: String { certificates.trusted }

    func problem(_ make: () throws -> Void) -> TLSSettingsError? {
        do {
            try make()
            return nil
        } catch let error as TLSSettingsError {
            return error
        } catch {
            Issue.record("expected a TLSSettingsError, got \(error)")
            return nil
        }
    }

    @Test("a missing server certificate")
    func missingCertificate() throws {
        let settings = TLSServerSettings(certificateChainPath: "/nonexistent/server.pem", privateKeyPath: certificates.file(dir, "server.key"))
        let error = try #require(problem { _ = try settings.makeContext() })
        #expect(error.description == "tls.certificate: /nonexistent/server.pem: no such file")
    }

    @Test("a key where the certificate should be")
    func notACertificate() throws {
        let key = certificates.file(dir, "server.key")
        let settings = TLSServerSettings(certificateChainPath: key, privateKeyPath: key)
        let error = try #require(problem { _ = try settings.makeContext() })
        #expect(error.setting == "tls.certificate")
        #expect(error.description.hasPrefix("tls.certificate: \(key): not a PEM certificate"))
    }

    @Test("a certificate where the key should be")
    func notAKey() throws {
        let pem = certificates.file(dir, "server.pem")
        let settings = TLSServerSettings(certificateChainPath: pem, privateKeyPath: pem)
        let error = try #require(problem { _ = try settings.makeContext() })
        #expect(error.description.hasPrefix("tls.private_key: \(pem): not a PEM private key"))
        #expect(!error.description.contains("BEGIN"), "file contents must never appear in errors")
    }

    @Test("a key that belongs to another certificate")
    func mismatchedKey() throws {
        let settings = TLSServerSettings(
            certificateChainPath: certificates.file(dir, "server.pem"), privateKeyPath: certificates.file(dir, "client-kangning.key"))
        let error = try #require(problem { _ = try settings.makeContext() })
        #expect(error.setting == "tls.private_key")
        #expect(error.path == certificates.file(dir, "client-kangning.key"))
    }

    @Test("client certificates required without a client CA")
    func missingClientCA() throws {
        let settings = TLSServerSettings(
            certificateChainPath: certificates.file(dir, "server.pem"), privateKeyPath: certificates.file(dir, "server.key"),
            clientCAPath: nil, clientCertificates: .required)
        let error = try #require(problem { _ = try settings.makeContext() })
        #expect(error.setting == "tls.client_ca")
    }

    @Test("a missing client CA file")
    func missingClientCAFile() throws {
        let settings = TLSServerSettings(
            certificateChainPath: certificates.file(dir, "server.pem"), privateKeyPath: certificates.file(dir, "server.key"),
            clientCAPath: "/nonexistent/ca.pem", clientCertificates: .optional)
        let error = try #require(problem { _ = try settings.makeContext() })
        #expect(error.description == "tls.client_ca: /nonexistent/ca.pem: no such file")
    }

    @Test("client side: a missing trusted CA, and a certificate without its key")
    func clientSettings() throws {
        let missingCA = try #require(problem { _ = try TLSClientSettings(trustedCAPath: "/nonexistent/ca.pem").makeContext() })
        #expect(missingCA.description == "tls.trusted_ca: /nonexistent/ca.pem: no such file")
        let noKey = try #require(problem { _ = try TLSClientSettings(certificatePath: certificates.file(dir, "client-kangning.pem")).makeContext() })
        #expect(noKey.setting == "tls.private_key")
    }

    @Test("a listener with bad settings is not bound at all")
    func listenerRefusesBadSettings() async throws {
        let settings = TLSServerSettings(certificateChainPath: "/nonexistent/server.pem", privateKeyPath: "/nonexistent/server.key")
        await #expect(throws: TLSSettingsError.self) {
            try await TLSHarness.with(settings) { _ in }
        }
    }

    @Test("policies read from configuration text", arguments: [("none", ClientCertificatePolicy.none), ("optional", .optional), ("REQUIRED", .required)])
    func policyText(text: String, policy: ClientCertificatePolicy) {
        #expect(ClientCertificatePolicy(configValue: text) == policy)
    }

    @Test("an unknown policy is not read")
    func unknownPolicy() {
        #expect(ClientCertificatePolicy(configValue: "sometimes") == nil)
    }
}
