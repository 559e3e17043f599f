import XinyuPluginSDK
import Foundation

/// The small JSON columns (answers, extras, goals, measures) as text.
///
/// Encoding is written by hand: the screening import writes one `extras` object per result,
/// and Foundation's `JSONSerialization` (bridging through NSDictionary, sorting `AnyHashable`
/// keys) took over a third of the plugin's CPU in a 200,000-result round. Decoding stays with
/// Foundation: it is off the fast path and must accept any valid JSON already stored.
enum JSONText {
    static func ints(_ values: [Int32]) -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            if (0...9).contains(value) {
                out.append(UInt8(ascii: "0") + UInt8(value))  // answers are almost always one digit
            } else {
                out.append(contentsOf: String(value).utf8)
            }
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    static func decodeInts(_ text: String) -> [Int32] {
        text.dropFirst().dropLast().split(separator: ",").compactMap { Int32($0) }
    }

    /// An object with its keys in sorted order, so equal maps give equal text.
    static func bools(_ values: [String: Bool]) -> String {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (index, key) in values.keys.sorted().enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendQuoted(key, to: &out)
            out.append(contentsOf: values[key]! ? ":true".utf8 : ":false".utf8)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    static func decodeBools(_ text: String) -> [String: Bool] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Bool] ?? [:]
    }

    static func strings(_ values: [String]) -> String {
        JSONArgument.strings(values)
    }

    static func appendQuoted(_ value: String, to out: inout [UInt8]) {
        JSONArgument.appendQuoted(value, to: &out)
    }

    static func decodeStrings(_ text: String) -> [String] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String] ?? []
    }

    static func measures(_ values: [(description: String, responsible: String)]) -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, measure) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"description":"#.utf8)
            appendQuoted(measure.description, to: &out)
            out.append(contentsOf: #","responsible_id":"#.utf8)
            appendQuoted(measure.responsible, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    static func decodeMeasures(_ text: String) -> [(description: String, responsible: String)] {
        let objects = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: String]] ?? []
        return objects.map { ($0["description"] ?? "", $0["responsible_id"] ?? "") }
    }
}
