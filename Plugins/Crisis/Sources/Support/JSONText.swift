import Foundation

/// The small JSON columns (answers, goals, measures) as text, encoded without Foundation's
/// overhead on the screening fast path.
enum JSONText {
    static func ints(_ values: [Int32]) -> String {
        "[" + values.map(String.init).joined(separator: ",") + "]"
    }

    static func decodeInts(_ text: String) -> [Int32] {
        text.dropFirst().dropLast().split(separator: ",").compactMap { Int32($0) }
    }

    static func bools(_ values: [String: Bool]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: values, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeBools(_ text: String) -> [String: Bool] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Bool] ?? [:]
    }

    static func strings(_ values: [String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: values)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeStrings(_ text: String) -> [String] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String] ?? []
    }

    static func measures(_ values: [(description: String, responsible: String)]) -> String {
        let objects = values.map { ["description": $0.description, "responsible_id": $0.responsible] }
        let data = (try? JSONSerialization.data(withJSONObject: objects)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeMeasures(_ text: String) -> [(description: String, responsible: String)] {
        let objects = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: String]] ?? []
        return objects.map { ($0["description"] ?? "", $0["responsible_id"] ?? "") }
    }
}
