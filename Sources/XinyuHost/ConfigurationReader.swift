import TOMLKit

/// Reads typed values out of TOML tables with errors that name the key.
struct ConfigurationReader {
    let source: String
    private var prefix = ""

    init(source: String) { self.source = source }

    mutating func section(_ root: TOMLTable, _ name: String, allowed: Set<String>, _ body: (inout ConfigurationReader, TOMLTable) throws -> Void) throws {
        guard let value = root[name] else { return }
        guard let table = value.table else { throw error(name, "must be a table ([\(name)])") }
        for key in table.keys where !allowed.contains(key) {
            throw error("\(name).\(key)", "unknown key (known: \(allowed.sorted().joined(separator: ", ")))")
        }
        prefix = name + "."
        try body(&self, table)
        prefix = ""
    }

    func string(_ t: TOMLTable, _ key: String) throws -> String? {
        guard let v = t[key] else { return nil }
        guard let s = v.string else { throw error(prefix + key, "must be a string") }
        return s
    }

    func strings(_ t: TOMLTable, _ key: String) throws -> [String]? {
        guard let v = t[key] else { return nil }
        guard let array = v.array else { throw error(prefix + key, "must be an array of strings") }
        return try array.map { item in
            guard let s = item.string else { throw error(prefix + key, "must contain only strings") }
            return s
        }
    }

    func int(_ t: TOMLTable, _ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let v = t[key] else { return nil }
        guard let i = v.int else { throw error(prefix + key, "must be a whole number") }
        guard range.contains(i) else { throw error(prefix + key, "\(i) is outside \(range.lowerBound)…\(range.upperBound)") }
        return i
    }

    func bool(_ t: TOMLTable, _ key: String) throws -> Bool? {
        guard let v = t[key] else { return nil }
        guard let b = v.bool else { throw error(prefix + key, "must be true or false") }
        return b
    }

    func double(_ t: TOMLTable, _ key: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let v = t[key] else { return nil }
        guard let d = v.double ?? v.int.map(Double.init) else { throw error(prefix + key, "must be a number") }
        guard range.contains(d) else { throw error(prefix + key, "\(d) is outside \(range.lowerBound)…\(range.upperBound)") }
        return d
    }

    private func error(_ key: String, _ problem: String) -> ConfigurationError {
        ConfigurationError("\(source): \(key): \(problem)")
    }
}
