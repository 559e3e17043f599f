import Testing
import XinyuTestSupport
@testable import XinyuCSV

@Suite("Encoding detection")
struct TextDecoderTests {
    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    static let utf8File = bytes("id,姓名\n1,张伟\n2,李娜\n")
    static let gbkFile: [UInt8] =
        bytes("id,") + GBKBytes.xingMing + bytes("\r\n1,") + GBKBytes.zhangWei + bytes("\r\n2,") + GBKBytes.liNa + bytes("\r\n")

    @Test("Chinese names round-trip exactly", arguments: [
        (utf8File, TextEncodingGuess.utf8),
        (bom + utf8File, .utf8BOM),
        (gbkFile, .gbk),
    ])
    func roundTrip(file: [UInt8], encoding: TextEncodingGuess) throws {
        let table = try CSVReader().read(file)
        #expect(table.encoding == encoding)
        #expect(table.header == ["id", "姓名"])
        #expect(table.column("姓名") == 1)
        #expect(table.rows.map { $0[1] } == ["张伟", "李娜"])
        #expect(table.rows.map(\.line) == [2, 3])
    }

    @Test func bomIsStrippedFromText() throws {
        let decoded = try TextDecoder.decode(Self.bom + bytes("学号"))
        #expect(decoded.text == "学号")
        #expect(decoded.encoding == .utf8BOM)
    }

    @Test func plainASCIIIsUTF8() throws {
        #expect(try TextDecoder.decode(bytes("a,b\n")).encoding == .utf8)
        #expect(try TextDecoder.decode([]).text == "")
    }

    @Test func gbkConverterGrowsItsOutputBuffer() throws {
        let converter = try #require(GBKConverter())
        let input = Array(repeating: GBKBytes.zhangWei + GBKBytes.liNa, count: 50).joined()
        let output = try converter.convert(ArraySlice(input), initialCapacity: 1).get()
        #expect(String(decoding: output, as: UTF8.self) == String(repeating: "张伟李娜", count: 50))
    }

    @Test("Garbage is undecodable at a line, never a crash", arguments: [
        ([0xFF, 0xFE, 0x80] as [UInt8], 1),
        ([0x80], 1),
        ([0x61, 0x0A, 0x62, 0x0A, 0xFF], 3),
        ([0x61, 0x0D, 0x62, 0x0D, 0x0A, 0xFF], 3),  // lone CR and CRLF each end one line
        ([0x61, 0x2C, 0x62, 0x0A, 0x31, 0x2C, 0x81], 2),  // GBK lead byte cut off by end of file
    ])
    func garbage(file: [UInt8], line: Int) {
        #expect(throws: CSVError.undecodable(line: line)) { try TextDecoder.decode(file) }
    }

    @Test func gbkFileWithBadLineNamesThatLine() {
        let file = Self.gbkFile + bytes("3,") + [0xFF, 0x41] + bytes("\r\n4,x\r\n")
        #expect(throws: CSVError.undecodable(line: 4)) { try CSVReader().read(file) }
    }

    @Test func utf8FileWithBadLineNamesThatLine() {
        let file = bytes("学号,姓名\n1,张伟\n2,李娜\n3,") + [0xFF] + bytes("\n")
        #expect(throws: CSVError.undecodable(line: 4)) { try CSVReader().read(file) }
    }

    @Test("A file mixing encodings names the line that breaks the majority", arguments: [
        // Mostly UTF-8 with one GBK line (line 3); "王" alone is not valid GBK, "张伟" happens to be.
        (bytes("id,name\n1,张伟\n2,") + GBKBytes.liNa + bytes("\n3,王\n4,赵\n"), 3),
        // Mostly GBK with one UTF-8 line (line 4).
        (bytes("id,name\n1,") + GBKBytes.zhangWei + bytes("\n2,") + GBKBytes.liNa + bytes("\n3,王\n"), 4),
    ])
    func mixedEncodings(file: [UInt8], line: Int) {
        #expect(throws: CSVError.undecodable(line: line)) { try CSVReader().read(file) }
    }

    @Test func bomPromisesUTF8SoGBKAfterItIsRejected() {
        let file = Self.bom + bytes("id,name\n1,") + GBKBytes.zhangWei + bytes("\n")
        #expect(throws: CSVError.undecodable(line: 2)) { try CSVReader().read(file) }
    }

    @Test func randomBytesNeverCrash() {
        var generator = SeededRandom("random bytes never crash the CSV reader")
        let alphabet: [UInt8] = [0x22, 0x2C, 0x0A, 0x0D, 0x20, 0x61, 0x80, 0xD5, 0xC5, 0xEF, 0xBB, 0xBF, 0xFF, 0xE5]
        var undecodable = 0
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...120, using: &generator)
            let file = (0..<length).map { _ in
                Bool.random(using: &generator) ? alphabet.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
            }
            let lineCount = LineBreaks.lineRanges(in: file).count
            do {
                let table = try CSVReader().read(file)
                #expect(table.rows.allSatisfy { $0.line >= 2 && $0.line <= lineCount })
            } catch .undecodable(let line) {
                undecodable += 1
                #expect((1...lineCount).contains(line))
            } catch .unterminatedQuote(let line) {
                #expect((1...lineCount).contains(line))
            } catch {
                // empty, duplicate or empty headers are all fine outcomes for noise
            }
        }
        #expect(undecodable > 100)  // the generator really does produce garbage
    }
}
