import Foundation
import Testing
@testable import XinyuCrisis

/// The hand-written JSON encoder must give text any JSON reader (Foundation here, SQLite's
/// json_each in queries) reads back as the same values.
@Suite struct JSONTextTests {
    static let awkward = ["王小明", "", "quote \" and \\ backslash", "line\nbreak\tand\r", "\u{01}\u{1f}", "/slash/", "emoji 🙂", "S2024-0001"]

    @Test func stringsRoundTripThroughFoundation() throws {
        let text = JSONText.strings(Self.awkward)
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]
        #expect(parsed == Self.awkward)
        #expect(JSONText.decodeStrings(text) == Self.awkward)
        #expect(JSONText.strings([]) == "[]")
    }

    @Test func controlCharactersAreEscaped() {
        #expect(JSONText.strings(["a\u{01}b"]) == #"["a\u0001b"]"#)
        #expect(JSONText.strings(["\"\\"]) == #"["\"\\"]"#)
        #expect(JSONText.strings(["心网格"]) == #"["心网格"]"#)
    }

    @Test func boolsAreSortedAndRoundTrip() throws {
        var values: [String: Bool] = [:]
        for (index, key) in Self.awkward.enumerated() { values[key] = index % 2 == 0 }
        let text = JSONText.bools(values)
        #expect(JSONText.decodeBools(text) == values)
        #expect(JSONText.bools(["b": true, "a": false]) == #"{"a":false,"b":true}"#)
        #expect(JSONText.bools([:]) == "{}")
    }

    @Test func intsRoundTrip() {
        let values: [Int32] = [0, 3, 9, 10, -1, 2_147_483_647, -2_147_483_648]
        #expect(JSONText.ints(values) == "[0,3,9,10,-1,2147483647,-2147483648]")
        #expect(JSONText.decodeInts(JSONText.ints(values)) == values)
        #expect(JSONText.ints([]) == "[]")
    }

    @Test func measuresRoundTrip() {
        let measures = [(description: "每周谈话 \"weekly\"", responsible: "staff:T0012"), (description: "", responsible: "")]
        let decoded = JSONText.decodeMeasures(JSONText.measures(measures))
        #expect(decoded.map(\.description) == measures.map(\.description))
        #expect(decoded.map(\.responsible) == measures.map(\.responsible))
    }
}
