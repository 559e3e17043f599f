import TOMLKit

/// Strict typed reads from a TOML settings file, with errors naming the full key path.
///
/// The one way a plugin (and its pure Core) reads `Config/plugins/<name>.toml`: parse with
/// ``SettingsTable/parse(_:source:)``, call ``allowOnly(_:)`` on each table first so a misspelt
/// key is an error instead of a silently ignored setting, then read typed values. Every error is
/// a ``SettingsError`` naming the file, the dotted key path (with 1-based list positions) and
/// the problem.
public struct SettingsTable: @unchecked Sendable {
    // @unchecked: TOMLTable is a class over a toml++ table; a SettingsTable only ever reads it,
    // and each parse creates its own, so no two threads write one.
    /// The file (or other source) the text came from, for errors.
    public let source: String
    let table: TOMLTable
    /// Key path of this table itself, e.g. "instruments[2]"; empty at the root.
    public let path: String

    init(source: String, table: TOMLTable, path: String) {
        self.source = source
        self.table = table
        self.path = path
    }

    /// Parses TOML text; a syntax error names the line.
    public static func parse(_ text: String, source: String) throws(SettingsError) -> SettingsTable {
        if let line = TableHeaderCheck.firstMalformedHeaderLine(in: text) {
            throw SettingsError(source: source, key: "line \(line)",
                                problem: "not valid TOML: a table header must start with a letter, digit, '_', '-' or a quoted key")
        }
        if let (line, problem) = ValueStartCheck.firstProblem(in: text) {
            throw SettingsError(source: source, key: "line \(line)", problem: "not valid TOML: \(problem)")
        }
        do {
            return SettingsTable(source: source, table: try TOMLTable(string: text), path: "")
        } catch let error as TOMLParseError {
            throw SettingsError(source: source, key: "line \(error.source.begin.line)", problem: "not valid TOML: \(error.description)")
        } catch {
            throw SettingsError(source: source, key: "file", problem: "not valid TOML: \(error)")
        }
    }

    /// The keys present in this table, sorted.
    public var keys: [String] { table.keys.sorted() }

    /// The full dotted path of `name` in this table.
    public func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    /// An error about `name` in this table.
    public func error(_ name: String, _ problem: String) -> SettingsError {
        SettingsError(source: source, key: key(name), problem: problem)
    }

    /// Fails on the first key (sorted) not in `allowed`, listing the known ones: call it first,
    /// so a misspelt key is an error instead of a silently ignored setting.
    public func allowOnly(_ allowed: Set<String>) throws(SettingsError) {
        for name in table.keys.sorted() where !allowed.contains(name) {
            throw error(name, "unknown key (known: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    /// True when `name` is present.
    public func has(_ name: String) -> Bool { table[name] != nil }

    /// A string, or nil when absent; another type is an error naming the key.
    public func string(_ name: String) throws(SettingsError) -> String? {
        guard let value = table[name] else { return nil }
        guard let text = value.string else { throw error(name, "must be a string") }
        return text
    }

    /// A string that must be present.
    public func requiredString(_ name: String) throws(SettingsError) -> String {
        guard let text = try string(name) else { throw error(name, "is required") }
        return text
    }

    /// `true` or `false`, or nil when absent.
    public func bool(_ name: String) throws(SettingsError) -> Bool? {
        guard let value = table[name] else { return nil }
        guard let flag = value.bool else { throw error(name, "must be true or false") }
        return flag
    }

    /// A whole number within `range`, or nil when absent.
    public func int(_ name: String, in range: ClosedRange<Int>) throws(SettingsError) -> Int? {
        guard let value = table[name] else { return nil }
        guard let number = value.int else { throw error(name, "must be a whole number") }
        guard range.contains(number) else {
            throw error(name, "\(number) is outside \(range.lowerBound)…\(range.upperBound)")
        }
        return number
    }

    /// A number (a whole number is accepted too) within `range`, or nil when absent.
    public func double(_ name: String, in range: ClosedRange<Double>) throws(SettingsError) -> Double? {
        guard let value = table[name] else { return nil }
        guard let number = value.double ?? value.int.map(Double.init) else { throw error(name, "must be a number") }
        guard range.contains(number) else {
            throw error(name, "\(number) is outside \(range.lowerBound)…\(range.upperBound)")
        }
        return number
    }

    /// A whole number within `range` that must be present.
    public func requiredInt(_ name: String, in range: ClosedRange<Int>) throws(SettingsError) -> Int {
        guard let number = try int(name, in: range) else { throw error(name, "is required") }
        return number
    }

    /// An array of strings, or nil when absent.
    public func strings(_ name: String) throws(SettingsError) -> [String]? {
        guard let value = table[name] else { return nil }
        guard let array = value.array else { throw error(name, "must be an array of strings") }
        var result: [String] = []
        for item in array {
            guard let text = item.string else { throw error(name, "must contain only strings") }
            result.append(text)
        }
        return result
    }

    /// A nested table (`[name]`) whose errors carry its path, or nil when absent.
    public func subtable(_ name: String) throws(SettingsError) -> SettingsTable? {
        guard let value = table[name] else { return nil }
        guard let child = value.table else { throw error(name, "must be a table ([\(key(name))])") }
        return SettingsTable(source: source, table: child, path: key(name))
    }

    /// An array of tables (`[[name]]`), each with its 1-based path "name[i]".
    public func tables(_ name: String) throws(SettingsError) -> [SettingsTable]? {
        guard let value = table[name] else { return nil }
        guard let array = value.array else { throw error(name, "must be an array of tables ([[\(key(name))]])") }
        var result: [SettingsTable] = []
        for (index, item) in array.enumerated() {
            guard let child = item.table else { throw error("\(name)[\(index + 1)]", "must be a table") }
            result.append(SettingsTable(source: source, table: child, path: "\(key(name))[\(index + 1)]"))
        }
        return result
    }
}
