import Foundation

/// The small JSON columns (answers, extras, goals, measures) as text.
///
/// Encoding is written by hand: the screening import writes one `extras` object per result,
/// and Foundation's `JSONSerialization` (bridging through NSDictionary, sorting `AnyHashable`
/// keys) took over a third of the plugin's CPU in a 200,000-result round. Decoding stays with
/// Foundation: it is off the fast path and must accept any valid JSON already stored.
enum JSONText {
    static func ints(_ values: [Int32]) -> String {
        "[" + values.map(String.init).joined(separator: ",") + "]"
    }

    static func decodeInts(_ text: String) -> [Int32] {
        text.dropFirst().dropLast().split(separator: ",").compactMap { Int32($0) }
    }

    /// An object with its keys in sorted order, so equal maps give equal text.
    static func bools(_ values: [String: Bool]) -> String {
        guard !values.isEmpty else { return "{}" }
        var text = "{"
        for (index, key) in values.keys.sorted().enumerated() {
            if index > 0 { text += "," }
            appendQuoted(key, to: &text)
            text += values[key]! ? ":true" : ":false"
        }
        return text + "}"
    }

    static func decodeBools(_ text: String) -> [String: Bool] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Bool] ?? [:]
    }

    static func strings(_ values: [String]) -> String {
        var text = "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            appendQuoted(value, to: &text)
        }
        return text + "]"
    }

    /// Appends `value` as a JSON string (RFC 8259): quote, backslash and control characters
    /// escaped; everything else, Chinese included, as its own UTF-8.
    static func appendQuoted(_ value: String, to text: inout String) {
        text += "\""
        var plainStart = value.unicodeScalars.startIndex
        var index = plainStart
        let scalars = value.unicodeScalars
        while index != scalars.endIndex {
            let scalar = scalars[index]
            let escape: String?
            switch scalar {
            case "\"": escape = "\\\""
            case "\\": escape = "\\\\"
            case "\n": escape = "\\n"
            case "\r": escape = "\\r"
            case "\t": escape = "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                escape = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escape = nil
            }
            if let escape {
                text.unicodeScalars.append(contentsOf: scalars[plainStart..<index])
                text += escape
                plainStart = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        text.unicodeScalars.append(contentsOf: scalars[plainStart..<scalars.endIndex])
        text += "\""
    }

    static func decodeStrings(_ text: String) -> [String] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String] ?? []
    }

    static func measures(_ values: [(description: String, responsible: String)]) -> String {
        var text = "["
        for (index, measure) in values.enumerated() {
            if index > 0 { text += "," }
            text += "{\"description\":"
            appendQuoted(measure.description, to: &text)
            text += ",\"responsible_id\":"
            appendQuoted(measure.responsible, to: &text)
            text += "}"
        }
        return text + "]"
    }

    static func decodeMeasures(_ text: String) -> [(description: String, responsible: String)] {
        let objects = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: String]] ?? []
        return objects.map { ($0["description"] ?? "", $0["responsible_id"] ?? "") }
    }
}
