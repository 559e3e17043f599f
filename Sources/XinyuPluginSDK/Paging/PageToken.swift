import Foundation
import GRDB
import XinyuStore
import XinyuWire

/// The one page-token scheme of every List method, host and plugins alike: opaque to callers,
/// tamper-evident, and keyset (it holds the sort key of the last row sent, never an offset).
///
/// Layout, before base64url (no padding):
///
/// ```
/// p1|<list>|<filters tag>|<sort key as JSON array>|<MAC, 32 hex digits>
/// ```
///
/// The MAC is HMAC-SHA256 (first 16 bytes) over everything before the last `|`, keyed with the
/// database's ``PageTokenKey`` (shared by host and plugins, kept across restarts). The filters
/// tag is a MAC of the list's filters, so a token reused with other filters, on another list,
/// edited, or cut short is refused with INVALID_ARGUMENT naming the page-token field instead of
/// silently skipping rows. A token reveals only sort keys of a row the caller already received.
struct PageToken {
    private static let version = "p1"

    /// The list the token was issued for, e.g. "crisis.warnings".
    let list: String
    /// The sort key of the last row of the page it follows.
    let key: [DatabaseValue]

    /// A token that resumes after `key` in `list` with these filters.
    static func encode(list: String, filters: [String], key: [DatabaseValue], secret: PageTokenKey) throws -> String {
        let body = "\(version)|\(list)|\(filtersTag(filters, secret))|\(try encodeKey(key))"
        let text = body + "|" + hex(secret.mac(body))
        return Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The sort key `token` resumes after, checked against `list` and `filters`.
    ///
    /// - Throws: INVALID_ARGUMENT naming `field` when the token is damaged, edited, from another
    ///   list, another database, or for other filters, or when its key has not `keyCount` values.
    static func decode(_ token: String, list: String, filters: [String], keyCount: Int, field: String, secret: PageTokenKey) throws -> [DatabaseValue] {
        let damaged = RPCError.invalidField(field, "is not a page token this service issued (it may have been cut short or edited); start again without a token")
        guard token.utf8.count <= 2048 else { throw damaged }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
              let macBar = text.lastIndex(of: "|")
        else { throw damaged }
        let body = String(text[..<macBar])
        guard let mac = bytes(hex: String(text[text.index(after: macBar)...])), secret.isValid(mac: mac, for: body) else { throw damaged }
        let parts = body.split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == version else { throw damaged }
        guard parts[1] == list else {
            throw RPCError.invalidField(field, "was issued by another list (\(parts[1])), not \(list); start again without a token")
        }
        guard parts[2] == filtersTag(filters, secret) else {
            throw RPCError.invalidField(field, "belongs to a different query (the filters changed since it was issued); send the same filters, or start again without a token")
        }
        guard let key = decodeKey(parts[3]), key.count == keyCount else { throw damaged }
        return key
    }

    private static func filtersTag(_ filters: [String], _ secret: PageTokenKey) -> String {
        hex(Array(secret.mac(filters.joined(separator: "\u{1F}")).prefix(8)))
    }

    /// Integers stay integers and text stays text, so the resumed comparison binds the same types.
    private static func encodeKey(_ key: [DatabaseValue]) throws -> String {
        let values: [SortValue] = try key.map { value in
            switch value.storage {
            case .int64(let number): return .integer(number)
            case .string(let text): return .text(text)
            default: throw RPCError(.internal, "a page's sort key must be integers and text, never NULL, real or blob")
            }
        }
        return String(decoding: try JSONEncoder().encode(values), as: UTF8.self)
    }

    private static func decodeKey(_ json: String) -> [DatabaseValue]? {
        guard let values = try? JSONDecoder().decode([SortValue].self, from: Data(json.utf8)) else { return nil }
        return values.map { value in
            switch value {
            case .integer(let number): number.databaseValue
            case .text(let text): text.databaseValue
            }
        }
    }

    /// One value of a sort key as JSON: a number or a string.
    private enum SortValue: Codable {
        case integer(Int64)
        case text(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int64.self) {
                self = .integer(number)
            } else {
                self = .text(try container.decode(String.self))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .integer(let number): try container.encode(number)
            case .text(let text): try container.encode(text)
            }
        }
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    private static func bytes(hex: String) -> [UInt8]? {
        guard hex.utf8.count == 32 else { return nil }
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            result.append(byte)
            index = next
        }
        return result
    }
}
