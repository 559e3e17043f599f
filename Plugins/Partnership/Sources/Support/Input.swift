import XinyuPluginSDK

/// Turns request fields into checked values, or INVALID_ARGUMENT naming the field.
enum Input {
    /// The trimmed text, or an error when it is empty or longer than `max` characters.
    static func text(_ field: String, _ value: String, max: Int = 2000) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw RPCError.invalidField(field, "is required") }
        guard trimmed.count <= max else { throw RPCError.invalidField(field, "is longer than \(max) characters") }
        return trimmed
    }

    /// Optional text: trimmed, at most `max` characters.
    static func optionalText(_ field: String, _ value: String, max: Int = 2000) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= max else { throw RPCError.invalidField(field, "is longer than \(max) characters") }
        return trimmed
    }

    /// An id made of a-z, 0-9, '-' and '_' (an agency id travels in data scopes).
    static func slug(_ field: String, _ value: String) throws -> String {
        let id = try text(field, value, max: 64)
        guard id.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }) else {
            throw RPCError.invalidField(field, "\"\(id)\" may use only a-z, 0-9, - and _")
        }
        return id
    }

    /// A row id sent as text: anything that is not a positive number is a record that does not exist.
    static func rowID(_ field: String, _ value: String, what: String) throws -> Int64 {
        guard !value.isEmpty else { throw RPCError.invalidField(field, "is required") }
        guard let id = Int64(value), id > 0 else { throw RPCError(.notFound, "\(what) \(value) not found") }
        return id
    }

    /// A local date-time "YYYY-MM-DD HH:MM" (the city's wall clock).
    static func localTime(_ field: String, _ value: String) throws -> String {
        let parts = value.split(separator: " ")
        guard parts.count == 2, CalendarDay(String(parts[0])) != nil else {
            throw RPCError.invalidField(field, "\"\(value)\" is not a local time (use YYYY-MM-DD HH:MM)")
        }
        let hm = parts[1].split(separator: ":")
        guard hm.count == 2, hm.allSatisfy({ $0.count == 2 }), let h = Int(hm[0]), let m = Int(hm[1]), (0..<24).contains(h), (0..<60).contains(m) else {
            throw RPCError.invalidField(field, "\"\(value)\" is not a local time (use YYYY-MM-DD HH:MM)")
        }
        return value
    }
}
