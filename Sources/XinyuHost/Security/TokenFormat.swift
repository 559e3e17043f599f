import Crypto
import Foundation

/// API tokens: `xyt_<id>_<secret>`.
///
/// The id (12 hex characters) is public: it names the token in lists, logs and the audit trail.
/// The secret (32 random bytes, 64 hex characters) is shown once; the host stores only its
/// SHA-256. A plain hash is enough because the secret is random with 256 bits of entropy, so
/// there is nothing to guess that a slow password hash would protect.
enum TokenFormat {
    static let prefix = "xyt_"

    struct Parsed: Equatable {
        let id: String
        let secret: String
    }

    static func generate() -> (id: String, secret: String, token: String) {
        let id = randomHex(bytes: 6)
        let secret = randomHex(bytes: 32)
        return (id, secret, "\(prefix)\(id)_\(secret)")
    }

    /// Splits a presented token; nil when it is not shaped like one of ours.
    static func parse(_ token: String) -> Parsed? {
        guard token.hasPrefix(prefix) else { return nil }
        let rest = token.dropFirst(prefix.count).split(separator: "_", omittingEmptySubsequences: false)
        guard rest.count == 2, rest[0].count == 12, rest[1].count == 64,
              rest.allSatisfy({ $0.unicodeScalars.allSatisfy(\.properties.isASCIIHexDigit) }) else { return nil }
        return Parsed(id: String(rest[0]), secret: String(rest[1]))
    }

    static func hash(secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares without an early exit, so timing does not reveal how much of a hash matched.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
