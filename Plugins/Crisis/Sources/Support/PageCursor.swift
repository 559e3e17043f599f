import XinyuPluginSDK
import Foundation

/// Keyset paging: a page token is the sort key of the last row sent, so the next page starts
/// right after it however rows are added or removed meanwhile (no OFFSET drift, no skipped
/// students). Opaque to callers: base64url of a JSON array of strings.
enum PageCursor {
    static func encode(_ keys: [String]) -> String {
        let json = (try? JSONEncoder().encode(keys)) ?? Data()
        return json.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The keys of `token`, or nil for the first page; INVALID_ARGUMENT when it was not made here.
    static func decode(_ token: String, count: Int) throws -> [String]? {
        guard !token.isEmpty else { return nil }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard token.count <= 512, let data = Data(base64Encoded: base64),
              let keys = try? JSONDecoder().decode([String].self, from: data), keys.count == count else {
            throw RPCError.invalidField("page_token", "not a token this method returned; start again without one")
        }
        return keys
    }
}
