import XinyuPluginSDK

/// Small checks that turn bad input into INVALID_ARGUMENT naming the field.
enum Require {
    /// The trimmed value, or an error when it is empty.
    static func text(_ field: String, _ value: String, max: Int = 2000) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw RPCError.invalidField(field, "is required") }
        guard trimmed.count <= max else { throw RPCError.invalidField(field, "is longer than \(max) characters") }
        return trimmed
    }

    /// A numeric record id ("42"); anything else is reported as not found, like a missing record.
    static func id(_ field: String, _ value: String, what: String) throws -> Int64 {
        guard !value.isEmpty else { throw RPCError.invalidField(field, "is required") }
        guard let id = Int64(value), id > 0 else { throw RPCError(.notFound, "\(what) \(value) not found") }
        return id
    }

    /// A number within a range.
    static func range(_ field: String, _ value: Int32, _ range: ClosedRange<Int32>) throws -> Int {
        guard range.contains(value) else { throw RPCError.invalidField(field, "\(value) is outside \(range.lowerBound)–\(range.upperBound)") }
        return Int(value)
    }
}
