import Crypto
import NIOSSL

extension PeerCertificate {
    /// Reads the subject, serial and fingerprint of a certificate NIOSSL verified.
    init(_ certificate: NIOSSLCertificate) throws {
        let subject = certificate.subjectName
        // The first entry of each kind: an agency certificate carries one of each, and a
        // deterministic choice beats joining values nobody asked for.
        func first(_ type: SSLCertificateNameType) -> String? {
            subject.first { $0.type == type }?.value
        }
        let der = try certificate.toDERBytes()
        self.init(
            commonName: first(.commonName),
            organization: first(.organization),
            organizationalUnit: first(.organizationalUnit),
            serialNumber: Self.hex(certificate.serialNumber),
            sha256Fingerprint: Self.hex(SHA256.hash(data: der)))
    }

    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
