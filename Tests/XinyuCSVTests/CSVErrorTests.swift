import Testing
import XinyuCSV

@Suite("Whole-file errors")
struct CSVErrorTests {
    @Test("An unterminated quote names the line where it began", arguments: [
        ("a,b\n1,2\n3,\"abc\n4,5\n", 3),
        ("a,b\n1,\"x\ny\",\"z\n", 3),  // row 2 starts on line 2, its unclosed field on line 3
        ("a,b\r\n\r\n\"", 3),
        ("\"a,b\n1,2", 1),
    ])
    func unterminatedQuote(text: String, line: Int) {
        #expect(throws: CSVError.unterminatedQuote(line: line)) { try read(text) }
    }

    @Test("Duplicate headers are rejected by normalised name", arguments: [
        ("id,name,ID\n", "ID"),
        ("student_id,Student ID\n", "Student ID"),
        ("姓名, 姓名 \n", "姓名"),
    ])
    func duplicateHeader(text: String, name: String) {
        #expect(throws: CSVError.duplicateHeader(name: name)) { try read(text) }
    }

    @Test("Empty header names give their 1-based column", arguments: [
        ("a,,c\n1,2,3\n", 2),
        ("a, ,c\n", 2),
        ("a,b,\n", 3),
        ("\"\",b\n", 1),
    ])
    func emptyHeader(text: String, column: Int) {
        #expect(throws: CSVError.emptyHeader(column: column)) { try read(text) }
    }

    @Test("No header line is empty", arguments: [[], bytes("\n\n"), bytes("  \r\n ,, \r\n"), [0xEF, 0xBB, 0xBF]])
    func empty(file: [UInt8]) {
        #expect(throws: CSVError.empty) { try CSVReader().read(file) }
    }

    @Test func tooLarge() throws {
        let file = bytes("a,b\n1,2\n3,")  // 10 bytes
        #expect(try CSVReader(maxBytes: 10).read(file).rows.count == 2)
        #expect(throws: CSVError.tooLarge(bytes: 11, limit: 10)) { try CSVReader(maxBytes: 10).read(file + [0x34]) }
    }

    @Test func headerWiderThanMaxFields() {
        #expect(throws: CSVError.tooManyColumns(count: 5, limit: 4)) {
            try read("a,b,c,d,e\n", reader: CSVReader(maxFields: 4))
        }
    }

    @Test func descriptionsNameTheLine() {
        #expect(CSVError.unterminatedQuote(line: 14).description
            == "line 14: a quoted field starts here and never ends; check for a stray \" character")
        #expect(CSVError.undecodable(line: 7).description.hasPrefix("line 7: "))
        #expect(CSVError.emptyHeader(column: 3).description.contains("column 3"))
        #expect(CSVError.duplicateHeader(name: "学号").description.contains("\"学号\""))
        #expect(CSVError.tooLarge(bytes: 11, limit: 10).description.contains("limit of 10 bytes"))
    }
}
