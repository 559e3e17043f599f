import GRDB
import XinyuPluginSDK

/// The one way a handler reaches a school: it must exist in the directory and be within the
/// caller's data scope; otherwise NOT_FOUND, as if it did not exist.
enum SchoolAccess {
    static func visible(_ db: Database, id: String, field: String = "school_id", context: CallContext) throws -> DirectorySchool {
        guard !id.isEmpty else { throw RPCError.invalidField(field, "is required") }
        guard let school = try context.directory.school(id, in: db) else {
            throw RPCError(.notFound, "field \(field): no school \(id)")
        }
        try context.requireScope(ScopeTarget(schoolID: id), what: "school \(id)", hideExistence: true, in: db)
        return school
    }

    /// A numeric id sent as text ("12"), or INVALID_ARGUMENT naming the field.
    static func number(_ text: String, field: String) throws -> Int64 {
        guard !text.isEmpty else { throw RPCError.invalidField(field, "is required") }
        guard let value = Int64(text), value > 0 else { throw RPCError.invalidField(field, "'\(text)' is not an id") }
        return value
    }
}
