import Testing
@testable import XinyuChildProcess

@Suite("LineSplitter")
struct LineSplitterTests {
    @Test("a Chinese character split across two reads decodes whole")
    func splitCharacter() {
        var splitter = LineSplitter()
        let bytes = Array("心育\n".utf8)
        #expect(splitter.append(bytes[0..<2]).isEmpty)
        #expect(splitter.append(bytes[2...]) == ["心育"])
    }

    @Test("several lines in one read, CRLF trimmed, the unterminated rest at the end")
    func manyLines() {
        var splitter = LineSplitter()
        #expect(splitter.append(Array("一\r\n二\n\n三".utf8)) == ["一", "二", ""])
        #expect(splitter.finish() == "三")
        #expect(splitter.finish() == nil)
    }

    @Test("a line longer than the limit comes out in pieces")
    func longLine() {
        var splitter = LineSplitter(maxLineBytes: 4)
        #expect(splitter.append(Array("abcdefghij\n".utf8)) == ["abcd", "efgh", "ij"])
    }
}
