import GRDB
import XinyuPluginSDK

/// Turns bad input into INVALID_ARGUMENT naming the field.
enum Require {
    /// The trimmed value, or an error when it is empty or too long.
    static func text(_ field: String, _ value: String, max: Int = 2000) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw RPCError.invalidField(field, "is required") }
        guard trimmed.count <= max else { throw RPCError.invalidField(field, "is longer than \(max) characters") }
        return trimmed
    }

    /// A text that may be empty, at most `max` characters.
    static func optional(_ field: String, _ value: String, max: Int = 2000) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= max else { throw RPCError.invalidField(field, "is longer than \(max) characters") }
        return trimmed
    }

    /// A numeric record id; anything else is reported as not found, like a missing record.
    static func id(_ field: String, _ value: String, what: String) throws -> Int64 {
        guard !value.isEmpty else { throw RPCError.invalidField(field, "is required") }
        guard let id = Int64(value), id > 0 else { throw RPCError(.notFound, "\(what) \(value) not found") }
        return id
    }

    /// The student, visible to the caller; NOT_FOUND otherwise (that a record exists is itself sensitive).
    static func student(_ id: String, field: String = "student_id", _ context: CallContext, in db: Database) throws -> DirectoryStudent {
        guard !id.isEmpty else { throw RPCError.invalidField(field, "is required") }
        guard let student = try context.directory.student(id, in: db) else { throw RPCError(.notFound, "student \(id) not found") }
        try context.requireScope(student.scopeTarget, what: "student \(id)", hideExistence: true, in: db)
        context.touched(subjects: [id])
        return student
    }
}
