import TOMLKit

/// Strict typed reads from a TOML table, with errors naming the full key path.
///
/// Every table is checked for unknown keys first, so a misspelt key is an
/// error instead of a silently ignored setting.
struct TOMLFields {
    let source: String
    let table: TOMLTable
    /// Key path of `table` itself, e.g. "instruments[2]"; empty at the root.
    let path: String

    func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    func error(_ name: String, _ problem: String) -> CrisisConfigurationError {
        CrisisConfigurationError(source: source, key: key(name), problem: problem)
    }

    func allowOnly(_ allowed: Set<String>) throws(CrisisConfigurationError) {
        for name in table.keys.sorted() where !allowed.contains(name) {
            throw error(name, "unknown key (known: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    func has(_ name: String) -> Bool { table[name] != nil }

    func string(_ name: String) throws(CrisisConfigurationError) -> String? {
        guard let value = table[name] else { return nil }
        guard let text = value.string else { throw error(name, "must be a string") }
        return text
    }

    func requiredString(_ name: String) throws(CrisisConfigurationError) -> String {
        guard let text = try string(name) else { throw error(name, "is required") }
        return text
    }

    func bool(_ name: String) throws(CrisisConfigurationError) -> Bool? {
        guard let value = table[name] else { return nil }
        guard let flag = value.bool else { throw error(name, "must be true or false") }
        return flag
    }

    func int(_ name: String, in range: ClosedRange<Int>) throws(CrisisConfigurationError) -> Int? {
        guard let value = table[name] else { return nil }
        guard let number = value.int else { throw error(name, "must be a whole number") }
        guard range.contains(number) else {
            throw error(name, "\(number) is outside \(range.lowerBound)…\(range.upperBound)")
        }
        return number
    }

    func requiredInt(_ name: String, in range: ClosedRange<Int>) throws(CrisisConfigurationError) -> Int {
        guard let number = try int(name, in: range) else { throw error(name, "is required") }
        return number
    }

    func strings(_ name: String) throws(CrisisConfigurationError) -> [String]? {
        guard let value = table[name] else { return nil }
        guard let array = value.array else { throw error(name, "must be an array of strings") }
        var result: [String] = []
        for item in array {
            guard let text = item.string else { throw error(name, "must contain only strings") }
            result.append(text)
        }
        return result
    }

    func subtable(_ name: String) throws(CrisisConfigurationError) -> TOMLFields? {
        guard let value = table[name] else { return nil }
        guard let child = value.table else { throw error(name, "must be a table ([\(key(name))])") }
        return TOMLFields(source: source, table: child, path: key(name))
    }

    /// An array of tables (`[[name]]`), each with its 1-based path "name[i]".
    func tables(_ name: String) throws(CrisisConfigurationError) -> [TOMLFields]? {
        guard let value = table[name] else { return nil }
        guard let array = value.array else { throw error(name, "must be an array of tables ([[\(key(name))]])") }
        var result: [TOMLFields] = []
        for (index, item) in array.enumerated() {
            guard let child = item.table else { throw error("\(name)[\(index + 1)]", "must be a table") }
            result.append(TOMLFields(source: source, table: child, path: "\(key(name))[\(index + 1)]"))
        }
        return result
    }
}
