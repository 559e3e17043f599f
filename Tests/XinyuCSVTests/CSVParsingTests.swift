import Testing
import XinyuCSV

@Suite("RFC 4180 parsing")
struct CSVParsingTests {
    @Test func quotedCommasAndEscapedQuotes() throws {
        let table = try read("name,note\n\"Zhang, Wei\",\"said \"\"hi\"\"\"\n")
        #expect(table.rows.count == 1)
        #expect(table.rows[0].fields == ["Zhang, Wei", "said \"hi\""])
    }

    @Test func embeddedNewlinesKeepLineNumbersRight() throws {
        let table = try read("id,note\n1,\"a\nb\r\nc\rd\"\n2,x\n3,\"\"\"\n\"\"\"\n4,y")
        #expect(table.rows.map(\.line) == [2, 6, 7, 9])
        #expect(table.rows[0][1] == "a\nb\r\nc\rd")
        #expect(table.rows[1].fields == ["2", "x"])
        #expect(table.rows[2][1] == "\"\n\"")
        #expect(table.rows[3].fields == ["4", "y"])
    }

    @Test("Every line ending, with or without a final one", arguments: ["\n", "\r\n", "\r"], [true, false])
    func lineEndings(ending: String, trailing: Bool) throws {
        let text = ["a,b", "1,2", "", "3,4"].joined(separator: ending) + (trailing ? ending : "")
        let table = try read(text)
        #expect(table.header == ["a", "b"])
        #expect(table.rows.map(\.fields) == [["1", "2"], ["3", "4"]])
        #expect(table.rows.map(\.line) == [2, 4])
    }

    @Test func blankLinesAndFillerRowsAreSkipped() throws {
        let table = try read("\n  \na,b\n\n1,2\n   \n,\n \"\" , \n3,4\n\n")
        #expect(table.header == ["a", "b"])
        #expect(table.rows.map(\.line) == [5, 9])
    }

    @Test func unquotedFieldsAreTrimmedQuotedAreNot() throws {
        let table = try read("a,b,c\n  x y  ,\"  z  \",  \"q\"  \n")
        #expect(table.rows[0].fields == ["x y", "  z  ", "q"])
    }

    @Test func lenientQuotesLikeExcel() throws {
        let table = try read("a,b\n5\" tall,\"abc\"def\n")
        #expect(table.rows[0].fields == ["5\" tall", "abcdef"])
    }

    @Test func trailingEmptyFieldIsAField() throws {
        let table = try read("a,b,c\n1,2,\n")
        #expect(table.rows[0].fields == ["1", "2", ""])
        #expect(table.shapeProblem(of: table.rows[0]) == nil)
    }

    @Test func shapeProblemsNameTheLine() throws {
        let table = try read("a,b,c,d,e,f\n1,2,3,4,5,6\n1,2,3,4,5\n\n1,2,3,4,5,6,7\n")
        #expect(table.rows.map { table.shapeProblem(of: $0) } == [
            nil,
            "line 3: expected 6 fields, found 5",
            "line 5: expected 6 fields, found 7",
        ])
        #expect(table.rows[1][4] == "5")
        #expect(table.rows[1][5] == nil)
        #expect(table.rows[1][-1] == nil)
    }

    @Test func overlyWideRowIsCappedAndReported() throws {
        let table = try read("a,b,c\n" + String(repeating: "x,", count: 999) + "x\n", reader: CSVReader(maxFields: 4))
        #expect(table.rows[0].fields.count == 4)
        #expect(table.shapeProblem(of: table.rows[0]) == "line 2: expected 3 fields, found 1000")
    }
}
