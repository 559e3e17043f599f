import Foundation
import GRDB
import XinyuPluginSDK

/// A member of staff named in a request, read from the directory and checked against the
/// caller's data scope (a teacher is in scope through their school; everyone sees themself).
enum StaffLookup {
    /// The member of staff `id` (field `field`), or INVALID_ARGUMENT / NOT_FOUND.
    static func visible(_ db: Database, id raw: String, field: String, context: CallContext) throws -> DirectoryStaffMember {
        let id = raw.trimmingCharacters(in: .whitespaces)
        guard !id.isEmpty else { throw RPCError.invalidField(field, "is required") }
        guard let member = try context.directory.staff(id, in: db) else {
            throw RPCError(.notFound, "field \(field): no staff member \(id)")
        }
        // Every member of staff may act on their own record (a class teacher, scoped to a class,
        // enrols themself); anyone else only within their scope.
        if context.principal.id != "staff:\(member.id)" {
            try context.requireScope(ScopeTarget(schoolID: member.schoolID), what: "staff member \(id)", hideExistence: true)
        }
        return member
    }
}
