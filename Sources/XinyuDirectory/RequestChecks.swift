import XinyuWire

/// Checks shared by the handlers for top-level request fields.
enum RequestChecks {
    /// The trimmed id of a Get request, or INVALID_ARGUMENT naming `field`.
    static func id(_ field: String, _ value: String) throws -> String {
        let id = FieldRules.trimmed(value)
        if let problem = FieldRules.idProblem(id) { throw RPCError.invalidField(field, problem) }
        return id
    }

    /// The trimmed id filter of a List request ("" for any), or INVALID_ARGUMENT naming `field`.
    static func idFilter(_ field: String, _ value: String) throws -> String {
        let id = FieldRules.trimmed(value)
        if let problem = FieldRules.idProblem(id, required: false) { throw RPCError.invalidField(field, problem) }
        return id
    }

    /// The trimmed name filter of a List request ("" for any).
    static func textFilter(_ field: String, _ value: String) throws -> String {
        let text = FieldRules.trimmed(value)
        if let problem = FieldRules.textProblem(text, required: false) { throw RPCError.invalidField(field, problem) }
        return text
    }
}
