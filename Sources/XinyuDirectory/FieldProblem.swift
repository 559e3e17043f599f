import XinyuWire

/// One thing wrong with one field of a record, before it is tied to a request or a CSV line.
///
/// `field` is the proto field name ("birth_date"); the API prefixes the message name
/// ("student.birth_date") and the importer swaps in the CSV column's header.
struct FieldProblem: Sendable, Equatable {
    var field: String
    var problem: String

    init(_ field: String, _ problem: String) {
        self.field = field
        self.problem = problem
    }
}

extension Array where Element == FieldProblem {
    /// Adds a problem for `field` when `problem` is non-nil.
    mutating func add(_ field: String, _ problem: String?) {
        if let problem { append(FieldProblem(field, problem)) }
    }

    /// The fields that already have a problem, so later checks do not pile on.
    var fields: Set<String> { Set(map(\.field)) }

    /// Throws INVALID_ARGUMENT naming every problem's field ("field student.name: is required; …").
    /// - Parameter message: the request's field holding the record ("student"), or "" for top-level fields.
    func throwIfAny(in message: String, code: StatusCode = .invalidArgument) throws {
        guard !isEmpty else { return }
        let prefix = message.isEmpty ? "" : message + "."
        let text = map { "field \(prefix)\($0.field): \($0.problem)" }.joined(separator: "; ")
        throw RPCError(code, text)
    }
}
