import Foundation
import TOMLKit

/// Reads the roles file (`Config/roles.toml`): one `[role_name]` table per role with
/// `description` and `permissions`. Admins add roles there (then reload) or at run time.
enum RolesFile {
    /// Parses the file's text; errors name the file, the role and the problem.
    static func parse(_ text: String, source: String) throws -> [RoleDefinition] {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError("\(source):\(error.source.begin.line): \(error.description)")
        } catch {
            throw ConfigurationError("\(source): not valid TOML: \(error)")
        }
        var roles: [RoleDefinition] = []
        for name in table.keys.sorted() {
            guard RoleDefinition.isValidName(name) else {
                throw ConfigurationError("\(source): role '\(name)': names are lower-case letters, digits and '_'")
            }
            guard let body = table[name]?.table else {
                throw ConfigurationError("\(source): '\(name)' must be a table: [\(name)] with description and permissions")
            }
            for key in body.keys where !["description", "permissions"].contains(key) {
                throw ConfigurationError("\(source): \(name).\(key): unknown key (known: description, permissions)")
            }
            guard let description = body["description"]?.string else {
                throw ConfigurationError("\(source): \(name).description: required, a string")
            }
            guard let list = body["permissions"]?.array else {
                throw ConfigurationError("\(source): \(name).permissions: required, a list of strings")
            }
            var permissions: [String] = []
            for (index, value) in list.enumerated() {
                guard let permission = value.string, RoleDefinition.isValidPermission(permission) else {
                    throw ConfigurationError("\(source): \(name).permissions[\(index)]: '\(value)' is not a permission (e.g. \"crisis.case.read\" or \"crisis.*\")")
                }
                permissions.append(permission)
            }
            roles.append(RoleDefinition(name: name, description: description, permissions: permissions, source: "config"))
        }
        return roles
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
