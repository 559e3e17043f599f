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
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity(values.count * 16 + 2)
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendQuoted(value, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `value` as a JSON string (RFC 8259): quote, backslash and control characters
    /// escaped; everything else, Chinese included, as its own UTF-8. Working on bytes is safe
    /// because every byte of a multi-byte UTF-8 sequence is 0x80 or above.
    static func appendQuoted(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0f)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

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
