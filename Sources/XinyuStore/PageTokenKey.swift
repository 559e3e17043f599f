import Crypto
import Foundation
import GRDB

/// The secret that makes page tokens tamper-evident: an HMAC-SHA256 key kept in the shared
/// database (`xinyu_page_token_key`, core migration "005-page-token-key").
///
/// The key is created once, by whichever process first applies the core migrations, so the host
/// and every plugin that open the same file use the same key, and a token issued before a restart
/// is still accepted after it. It never leaves the database; a token reveals only a MAC made with it.
public struct PageTokenKey: Sendable {
    /// Kept as bytes: `SymmetricKey` is not `Sendable`; one is made per MAC (a copy of 32 bytes).
    private let secret: Data

    /// Reads the key from `db`; throws `StoreError.missingPageTokenKey` if the core migrations have not created it.
    public static func load(_ db: Database) throws -> PageTokenKey {
        // A cached statement: every paged list call reads it once.
        let statement = try db.cachedStatement(sql: "SELECT key FROM xinyu_page_token_key WHERE id = 1")
        guard let bytes = try Data.fetchOne(statement), bytes.count == 32 else { throw StoreError.missingPageTokenKey }
        return PageTokenKey(secret: bytes)
    }

    /// A key for tests and tools that have no database (never used to sign tokens a caller sees).
    public init(secret: Data) {
        self.secret = secret
    }

    /// The first 16 bytes of HMAC-SHA256 over `message` (128 bits: enough against forgery).
    public func mac(_ message: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: secret)).prefix(16))
    }

    /// True when `mac` is ``mac(_:)`` of `message`, compared in constant time.
    public func isValid(mac: [UInt8], for message: String) -> Bool {
        let expected = self.mac(message)
        guard mac.count == expected.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(mac, expected) { difference |= a ^ b }
        return difference == 0
    }

    /// 32 random bytes from the system's secure generator, for the migration that creates the key.
    static func freshSecret() -> Data {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    }
}
