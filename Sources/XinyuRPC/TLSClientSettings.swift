import Foundation
import NIOSSL

/// TLS for a connection to a listener: which CA to trust for the server and, for mutual TLS,
/// the certificate this side presents.
///
/// The server's certificate is always verified, hostname included: against ``serverName``
/// when set, else against the host connected to (an IP address is matched to the
/// certificate's IP entries).
public struct TLSClientSettings: Sendable, Hashable {
    /// PEM file with the CA that issued the server's certificate; nil trusts the system store.
    public var trustedCAPath: String?
    /// PEM file with this side's client certificate (then any intermediates), for mutual TLS.
    public var certificatePath: String?
    /// PEM file with the unencrypted private key of ``certificatePath``.
    public var privateKeyPath: String?
    /// The name to check the server's certificate against and send as SNI, when it differs
    /// from the host connected to.
    public var serverName: String?

    /// Creates settings; nothing is read until ``makeContext()``.
    public init(trustedCAPath: String? = nil, certificatePath: String? = nil, privateKeyPath: String? = nil, serverName: String? = nil) {
        self.trustedCAPath = trustedCAPath
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        self.serverName = serverName
    }

    /// Reads the files and builds the TLS context for one or more connections.
    ///
    /// Throws ``TLSSettingsError`` naming the setting and file at fault, or when only one of
    /// the certificate and its key is given.
    public func makeContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = .fullVerification
        if let trustedCAPath {
            configuration.trustRoots = .certificates(try TLSFiles.certificates(trustedCAPath, setting: "tls.trusted_ca"))
        }
        switch (certificatePath, privateKeyPath) {
        case (nil, nil):
            break
        case (let certificatePath?, let privateKeyPath?):
            let chain = try TLSFiles.certificates(certificatePath, setting: "tls.certificate")
            let key = try TLSFiles.privateKey(privateKeyPath, setting: "tls.private_key")
            configuration.certificateChain = chain.map { .certificate($0) }
            configuration.privateKey = .privateKey(key)
        case (_?, nil):
            throw TLSSettingsError(setting: "tls.private_key", path: nil, problem: "required with tls.certificate")
        case (nil, _?):
            throw TLSSettingsError(setting: "tls.certificate", path: nil, problem: "required with tls.private_key")
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSSettingsError(
                setting: "tls.private_key", path: privateKeyPath,
                problem: "cannot be used with the certificate in \(certificatePath ?? "-") (does the key belong to it?): \(error)")
        }
    }

    /// The name to verify and send as SNI for a connection to `host`: ``serverName`` if set,
    /// else the host unless it is an IP address (SNI may not carry one; NIOSSL then checks the
    /// certificate's IP entries against the address connected to).
    func serverHostname(connectingTo host: String?) -> String? {
        // SNI carries names only: an IP address (given either way) is verified against the
        // certificate's IP entries instead, and NIOSSL refuses it as a hostname.
        if let serverName, !serverName.isEmpty { return IPAddressText.isIPAddress(serverName) ? nil : serverName }
        guard let host, !host.isEmpty else { return nil }
        return IPAddressText.isIPAddress(host) ? nil : host
    }
}

/// Tells IP addresses from host names without a resolver.
private enum IPAddressText {
    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return text.withCString { inet_pton(AF_INET, $0, &v4) == 1 || inet_pton(AF_INET6, $0, &v6) == 1 }
    }
}
