import Foundation
import XinyuWire

/// The opaque `page_token` of the List methods: the last id of the page, tied to its query.
///
/// Layout (base64url, no padding): "v1|<query tag>|<last id>|<check>". The query tag hashes the
/// list and its filters, so a token reused with other filters is refused instead of silently
/// skipping rows; the check hashes the rest, so an edited or truncated token is refused too.
/// This protects against mistakes, not attackers: the token only reveals an id the caller
/// already received.
enum PageToken {
    private static let version = "v1"

    /// A token that resumes after `lastID` in the query tagged `queryTag`.
    static func encode(lastID: String, queryTag: String) -> String {
        let body = "\(version)|\(queryTag)|\(lastID)"
        let text = "\(body)|\(hex(fnv1a(body)))"
        return Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The last id a token resumes after; INVALID_ARGUMENT on field page.page_token otherwise.
    static func decode(_ token: String, queryTag: String) throws -> String {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { throw damaged }
        let parts = text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == version,
              parts[3] == hex(fnv1a(parts[0...2].joined(separator: "|"))),
              FieldRules.idProblem(parts[2]) == nil
        else { throw damaged }
        guard parts[1] == queryTag else {
            throw RPCError.invalidField("page.page_token", "belongs to a different query (the filters changed since it was issued); send the same filters, or start again without a token")
        }
        return parts[2]
    }

    /// A tag for one list and its filters.
    static func queryTag(_ list: String, _ filters: [String]) -> String {
        hex(fnv1a(([list] + filters).joined(separator: "\u{1F}")))
    }

    private static var damaged: RPCError {
        RPCError.invalidField("page.page_token", "is not a page token this service issued (it may have been cut short or edited); start again without a token")
    }

    /// 64-bit FNV-1a: tiny, stable across runs and platforms (unlike `Hasher`).
    private static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
