import Foundation
import XinyuPluginSDK

/// Required text fields of requests: trimmed, non-empty, bounded.
enum RequestText {
    /// `value` trimmed, or INVALID_ARGUMENT naming `field` when empty or longer than `max`.
    static func required(_ field: String, _ value: String, max: Int = 200) throws -> String {
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw RPCError.invalidField(field, "is required") }
        guard text.count <= max else { throw RPCError.invalidField(field, "is \(text.count) characters; at most \(max)") }
        return text
    }

    /// `value` trimmed, or INVALID_ARGUMENT naming `field` when longer than `max`.
    static func optional(_ field: String, _ value: String, max: Int = 200) throws -> String {
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count <= max else { throw RPCError.invalidField(field, "is \(text.count) characters; at most \(max)") }
        return text
    }

    /// A positive row id, or INVALID_ARGUMENT naming `field`.
    static func id(_ field: String, _ value: Int64) throws -> Int64 {
        guard value > 0 else { throw RPCError.invalidField(field, "is required") }
        return value
    }
}
