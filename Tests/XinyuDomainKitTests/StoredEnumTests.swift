import Testing
import XinyuDomainKit

/// Shaped like a generated proto enum: Int raw values, 0 = UNSPECIFIED.
private enum Colour: Int, StoredEnum {
    case unspecified = 0, red = 1, sea = 2, other = 9
    static let storedCases: [(value: Colour, text: String)] = [(.red, "red"), (.sea, "sea's")]
    static var valueName: String { "colour" }
}

private enum Origin: String, CaseIterable, StoredEnum {
    case plan, extra
}

@Suite("StoredEnum: one declaration per status")
struct StoredEnumTests {
    @Test("stored text both ways; values outside the declaration have none")
    func bothWays() {
        #expect(Colour.red.storedText == "red")
        #expect(Colour(storedText: "sea's") == .sea)
        #expect(Colour.unspecified.storedText == nil)
        #expect(Colour(storedText: "blue") == nil)
        #expect(Origin.storedTexts == ["plan", "extra"])
        #expect(Origin(storedText: "extra") == .extra)
    }

    @Test("the CHECK clause lists the texts in order, quotes escaped")
    func checkClause() {
        #expect(Colour.checkClause("colour") == "CHECK (colour IN ('red', 'sea''s'))")
        #expect(Origin.checkClause("origin") == "CHECK (origin IN ('plan', 'extra'))")
    }

    @Test("a request's UNSPECIFIED is required; an unknown number is named")
    func problems() {
        #expect(Colour.problem(.red) == nil)
        #expect(Colour.problem(.unspecified) == "is required (red, sea's)")
        #expect(Colour.problem(.other) == "9 is not a colour (red, sea's)")
    }

    @Test("an unknown stored text names the column")
    func storedError() {
        #expect(throws: StoredValueError(column: "t.colour", text: "blue", known: ["red", "sea's"])) {
            try Colour.stored("blue", column: "t.colour")
        }
        #expect(StoredValueError(column: "t.c", text: "x", known: ["a", "b"]).description == "t.c holds 'x', not one of a, b")
    }
}
