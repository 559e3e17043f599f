import NIOSSL

/// Words for why a TLS handshake failed, for close reasons and logs.
///
/// BoringSSL's own errors name a reason code and a source file ("CERTIFICATE_VERIFY_FAILED at
/// .../handshake.cc:320"); whoever reads an agency's failed connection needs to know what to
/// change. The code is kept at the end so it can still be looked up.
enum TLSHandshakeFailure {
    private static let explanations: [(code: String, words: String)] = [
        ("CERTIFICATE_VERIFY_FAILED", "the peer's certificate was not issued by a trusted CA, or has expired"),
        ("TLSV1_ALERT_UNKNOWN_CA", "the peer does not trust the CA that issued our certificate"),
        ("TLSV1_ALERT_CERTIFICATE_REQUIRED", "the peer requires a client certificate and none was given"),
        ("PEER_DID_NOT_RETURN_A_CERTIFICATE", "the peer gave no client certificate, and one is required"),
        ("WRONG_VERSION_NUMBER", "the peer is not speaking TLS (plain connection to a TLS port?)"),
        ("TLSV1_ALERT_CERTIFICATE_EXPIRED", "the peer says our certificate has expired"),
        ("failedToValidateHostname", "the server's certificate is not valid for the name connected to (set serverName?)"),
    ]

    /// "TLS handshake failed: <what it means> (<code>)", or the raw error when it is not known.
    static func describe(_ error: Error) -> String {
        let raw = "\(error)"
        if let known = explanations.first(where: { raw.contains($0.code) }) {
            return "TLS handshake failed: \(known.words) (\(known.code))"
        }
        return "TLS handshake failed: \(raw)"
    }

    /// Whether `error` comes from TLS.
    static func isTLSError(_ error: Error) -> Bool {
        error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
    }
}
