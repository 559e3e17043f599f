/// Who the peer is according to the certificate it presented in the TLS handshake.
///
/// The certificate has already been verified against the listener's client CA by the time a
/// connection exposes it, so these fields can be trusted as far as that CA is trusted. Names
/// are UTF-8 (e.g. O=宁波市康宁医院). Map an agency by its fingerprint or serial number when a
/// CA might reissue a certificate with the same subject to someone else.
public struct PeerCertificate: Sendable, Hashable, CustomStringConvertible {
    /// The subject's common name (CN), e.g. "kangning".
    public var commonName: String?
    /// The subject's organization (O), e.g. "宁波市康宁医院".
    public var organization: String?
    /// The subject's organizational unit (OU), e.g. "hospital".
    public var organizationalUnit: String?
    /// The serial number the CA gave, in lowercase hex without separators.
    public var serialNumber: String
    /// SHA-256 of the certificate's DER bytes, in lowercase hex without colons
    /// (what `openssl x509 -fingerprint -sha256` prints, lowercased, colons removed).
    public var sha256Fingerprint: String

    /// Creates a description of a certificate, e.g. for a test double of a connection.
    public init(commonName: String?, organization: String?, organizationalUnit: String?, serialNumber: String, sha256Fingerprint: String) {
        self.commonName = commonName
        self.organization = organization
        self.organizationalUnit = organizationalUnit
        self.serialNumber = serialNumber
        self.sha256Fingerprint = sha256Fingerprint
    }

    /// For logs: "CN=kangning, O=宁波市康宁医院, OU=hospital, serial 1a2b…".
    public var description: String {
        let names = [("CN", commonName), ("O", organization), ("OU", organizationalUnit)]
            .compactMap { key, value in value.map { "\(key)=\($0)" } }
        return (names + ["serial \(serialNumber)"]).joined(separator: ", ")
    }
}
