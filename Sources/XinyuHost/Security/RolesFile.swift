import Foundation
import XinyuPluginSDK

/// Reads the roles file (`Config/roles.toml`): one `[role_name]` table per role with
/// `description` and `permissions`. Admins add roles there (then reload) or at run time.
enum RolesFile {
    /// Parses the file's text; errors name the file, the role and the problem.
    static func parse(_ text: String, source: String) throws -> [RoleDefinition] {
        do {
            let table = try SettingsTable.parse(text, source: source)
            var roles: [RoleDefinition] = []
            for name in table.keys {
                guard RoleDefinition.isValidName(name) else {
                    throw ConfigurationError("\(source): role '\(name)': names are lower-case letters, digits and '_'")
                }
                guard let body = try? table.subtable(name) else {
                    throw table.error(name, "must be a table: [\(name)] with description and permissions")
                }
                try body.allowOnly(["description", "permissions"])
                guard let description = try? body.string("description") else {
                    throw body.error("description", "required, a string")
                }
                guard let list = try? body.strings("permissions") else {
                    throw body.error("permissions", "required, a list of strings")
                }
                // 0-based positions, as the roles file has always named them.
                for (index, permission) in list.enumerated() where !RoleDefinition.isValidPermission(permission) {
                    throw body.error("permissions[\(index)]", "'\(permission)' is not a permission (e.g. \"crisis.case.read\" or \"crisis.*\")")
                }
                roles.append(RoleDefinition(name: name, description: description, permissions: list, source: "config"))
            }
            return roles
        } catch let error as SettingsError {
            throw ConfigurationError(error.description)
        }
    }

    static func load(path: String) throws -> [RoleDefinition] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError("security.roles_file: cannot read \(path): \(error.localizedDescription)")
        }
        return try parse(text, source: path)
    }
}
