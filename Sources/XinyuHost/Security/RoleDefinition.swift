/// A role: a name and the permissions it grants.
struct RoleDefinition: Sendable, Equatable, Codable {
    /// Lower-case letters, digits and "_", e.g. "psych_teacher".
    var name: String
    var description: String
    /// Permission names; "crisis.*" grants every permission under "crisis.", "*" everything.
    var permissions: [String]
    /// "config" (the roles file) or "admin" (created at run time).
    var source: String

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.count <= 48 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// "crisis.case.read", "crisis.*" or "*".
    static func isValidPermission(_ permission: String) -> Bool {
        if permission == "*" { return true }
        let parts = permission.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts.count <= 5 else { return false }
        for (index, part) in parts.enumerated() {
            if part == "*" { if index == parts.count - 1 { continue } else { return false } }
            guard !part.isEmpty, part.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) else { return false }
        }
        return true
    }
}
