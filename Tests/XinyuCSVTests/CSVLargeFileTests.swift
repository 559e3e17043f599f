import Testing
import XinyuCSV

@Suite("Large files")
struct CSVLargeFileTests {
    @Test(.timeLimit(.minutes(1)))
    func twoHundredThousandRows() throws {
        var text = "学号,姓名,年级,备注\r\n"
        text.reserveCapacity(6_000_000)
        for i in 1...200_000 {
            text += "\(1_000_000 + i),张伟\(i % 100),\(i % 6 + 1),\"班级 \(i % 12), 东校区\"\r\n"
        }
        let table = try read(text)
        #expect(table.rows.count == 200_000)
        let last = try #require(table.rows.last)
        #expect(last.line == 200_001)
        #expect(last.fields == ["1200000", "张伟0", "3", "班级 8, 东校区"])
        #expect(table.rows.allSatisfy { table.shapeProblem(of: $0) == nil })
    }
}
