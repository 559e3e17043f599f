import Crypto
import Foundation

/// The keyed hash chain: how each entry, the head record and the retention anchor are sealed.
///
/// Each entry's hash is HMAC-SHA256(key, message), where the message is this canonical encoding
/// (integers big-endian, every string as its UTF-8 bytes after a 4-byte length):
///
///     +---------------------------+--------------------+----------------+
///     | tag "xinyu.audit.entry.1" | previous hash      | sequence       |
///     | u32 length + bytes        | 32 bytes           | int64 (8)      |
///     +---------------------------+--------------------+----------------+
///     | time | principal_id | principal_kind | source | method | outcome | detail |
///     |   each: u32 length + UTF-8 bytes (time is the stored 24-character text)  |
///     +---------------------------------------------------------------------------+
///     | subject count u32 | per subject: u32 length + UTF-8 bytes, in recorded order |
///     +---------------------------------------------------------------------------+
///
/// Length prefixes make it unambiguous: ("ab", "c") and ("a", "bc") differ, and so do no subjects and
/// one empty subject. The sequence is inside the message, so an entry moved to another position no
/// longer matches; the previous hash links each entry to all before it. The first entry's previous
/// hash is 32 zero bytes; after pruning, the first remaining entry's is the anchor's hash.
/// The key keeps someone who can write the database but not read the key file from recomputing it.
/// The head and anchor records carry their own MACs (different tags), so they cannot be forged either.
struct AuditChain: @unchecked Sendable {
    // @unchecked is safe: the only stored property is `key`, a `let` value that is never mutated.
    // swift-crypto 3 does not mark SymmetricKey Sendable, but it is a struct over immutable
    // copy-on-write storage (SecureBytes), and HMAC only reads it, so threads sharing it only read.

    /// The previous hash of sequence 1.
    static let genesis = [UInt8](repeating: 0, count: SHA256.byteCount)

    /// The previous hash of an entry appended when the head record was missing or forged: it can
    /// never be a real HMAC output in practice, and marks where `verify()` must report the head.
    static let headLost = [UInt8](repeating: 0xff, count: SHA256.byteCount)

    let key: SymmetricKey

    /// The hash sealing `fields` at `sequence` after `previous`.
    func entryHash(previous: [UInt8], sequence: Int64, fields: AuditFields) -> [UInt8] {
        var message = Encoder(tag: "xinyu.audit.entry.1")
        message.bytes(previous)
        message.int64(sequence)
        message.string(fields.time)
        message.string(fields.principalID)
        message.string(fields.principalKind)
        message.string(fields.source)
        message.string(fields.method)
        message.string(fields.outcome)
        message.string(fields.detail)
        message.uint32(UInt32(fields.subjects.count))
        for subject in fields.subjects { message.string(subject) }
        return mac(message)
    }

    /// The MAC of the head record: the newest sequence and its hash.
    func headMAC(sequence: Int64, hash: [UInt8]) -> [UInt8] {
        var message = Encoder(tag: "xinyu.audit.head.1")
        message.int64(sequence)
        message.bytes(hash)
        return mac(message)
    }

    /// The MAC of the retention anchor: the last pruned sequence and its hash.
    func anchorMAC(sequence: Int64, hash: [UInt8]) -> [UInt8] {
        var message = Encoder(tag: "xinyu.audit.anchor.1")
        message.int64(sequence)
        message.bytes(hash)
        return mac(message)
    }

    private func mac(_ message: Encoder) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message.data, using: key))
    }

    /// Appends fields in the canonical encoding. Bytes go straight into one array (no
    /// intermediate copies per string): the host hashes one entry per call it serves.
    private struct Encoder {
        private(set) var data: [UInt8] = []

        init(tag: String) {
            data.reserveCapacity(256)
            string(tag)
        }

        mutating func bytes(_ bytes: [UInt8]) { data.append(contentsOf: bytes) }

        mutating func uint32(_ value: UInt32) { withUnsafeBytes(of: value.bigEndian) { data.append(contentsOf: $0) } }

        mutating func int64(_ value: Int64) { withUnsafeBytes(of: value.bigEndian) { data.append(contentsOf: $0) } }

        mutating func string(_ value: String) {
            uint32(UInt32(value.utf8.count))
            data.append(contentsOf: value.utf8)
        }
    }
}

/// An entry's fields exactly as stored: what the chain hashes (time as its stored text).
struct AuditFields: Sendable, Equatable {
    var time: String
    var principalID: String
    var principalKind: String
    var source: String
    var method: String
    var outcome: String
    var detail: String
    var subjects: [String]

    init(_ entry: AuditEntry) {
        time = AuditTimestamp.format(entry.time)
        principalID = entry.principalID
        principalKind = entry.principalKind
        source = entry.source
        method = entry.method
        outcome = entry.outcome
        detail = entry.detail
        subjects = entry.subjects
    }

    init(time: String, principalID: String, principalKind: String, source: String, method: String,
         outcome: String, detail: String, subjects: [String]) {
        self.time = time
        self.principalID = principalID
        self.principalKind = principalKind
        self.source = source
        self.method = method
        self.outcome = outcome
        self.detail = detail
        self.subjects = subjects
    }
}

/// Lowercase hex, as hashes are stored.
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of `text`, or nil unless it is an even number of hex digits.
    static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}
