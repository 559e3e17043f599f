import XinyuRPC

/// The TCP listener's TLS settings from the `[tcp]` section, checked at start-up so a missing
/// or unreadable certificate is a configuration error (exit 78), not a failure on first connect.
enum HostTLS {
    static func settings(_ configuration: HostConfiguration) throws -> TLSServerSettings? {
        guard !configuration.tcpListen.isEmpty, !configuration.tlsDisabled else { return nil }
        let policy: ClientCertificatePolicy = configuration.tlsClientCA.isEmpty
            ? .none
            : (configuration.tlsClientCertificates == "required" ? .required : .optional)
        let settings = TLSServerSettings(
            certificateChainPath: configuration.tlsCertificate, privateKeyPath: configuration.tlsPrivateKey,
            clientCAPath: configuration.tlsClientCA.isEmpty ? nil : configuration.tlsClientCA, clientCertificates: policy)
        do {
            _ = try settings.makeContext()
        } catch {
            throw ConfigurationError("[tcp] \(error)")
        }
        return settings
    }
}
