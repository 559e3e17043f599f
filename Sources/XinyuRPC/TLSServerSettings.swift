import NIOSSL

/// TLS for a listener: the server's own certificate and, for mutual TLS, which CA issues the
/// client certificates of partner agencies.
///
/// ```swift
/// let tls = TLSServerSettings(
///     certificateChainPath: "var/certs/server.pem", privateKeyPath: "var/certs/server.key",
///     clientCAPath: "var/certs/ca.pem", clientCertificates: .required)
/// let listener = try await RPCListener.bind(.tcp(host: "0.0.0.0", port: 7443), group: group,
///     configuration: configuration, tls: tls, logger: logger) { _ in delegate }
/// ```
/// Client certificates are verified against the CA in ``clientCAPath`` only, never the
/// system's trust store: a certificate from any other CA fails the TLS handshake.
public struct TLSServerSettings: Sendable, Hashable {
    /// PEM file with the server certificate first, then any intermediates.
    public var certificateChainPath: String
    /// PEM file with the server's unencrypted private key.
    public var privateKeyPath: String
    /// PEM file with the CA certificate(s) that issue client certificates. Required when
    /// ``clientCertificates`` asks for certificates; ignored otherwise.
    public var clientCAPath: String?
    /// Whether peers must, may or need not present a client certificate.
    public var clientCertificates: ClientCertificatePolicy

    /// Creates settings; nothing is read until ``makeContext()``.
    public init(
        certificateChainPath: String, privateKeyPath: String, clientCAPath: String? = nil,
        clientCertificates: ClientCertificatePolicy = .none
    ) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.clientCAPath = clientCAPath
        self.clientCertificates = clientCertificates
    }

    /// Reads the files and builds the TLS context a listener shares between its connections.
    ///
    /// Throws ``TLSSettingsError`` naming the setting and file at fault: a missing file, a file
    /// that is not PEM, a key that does not match the certificate, or client certificates asked
    /// for without a client CA.
    public func makeContext() throws -> NIOSSLContext {
        let chain = try TLSFiles.certificates(certificateChainPath, setting: "tls.certificate")
        let key = try TLSFiles.privateKey(privateKeyPath, setting: "tls.private_key")
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        if clientCertificates.asksForCertificate {
            guard let clientCAPath else {
                throw TLSSettingsError(
                    setting: "tls.client_ca", path: nil,
                    problem: "required when tls.client_certificates is \(clientCertificates); give the CA that issues agency certificates")
            }
            let authorities = try TLSFiles.certificates(clientCAPath, setting: "tls.client_ca")
            // Only this CA, never `.default`: a certificate from a public CA must not let an
            // arbitrary holder in as if it were an agency.
            configuration.trustRoots = .certificates(authorities)
            configuration.certificateVerification =
                clientCertificates == .required ? .noHostnameVerification : .optionalVerification
            // Lets a client holding several certificates pick the one this CA issued.
            configuration.sendCANameList = true
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSSettingsError(
                setting: "tls.private_key", path: privateKeyPath,
                problem: "cannot be used with the certificate in \(certificateChainPath) (does the key belong to it?): \(error)")
        }
    }
}
