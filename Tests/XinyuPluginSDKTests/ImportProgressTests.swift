import Testing
import XinyuPluginSDK

/// The shared import-progress pacing: start, about every 1/updates of the rows, end.
@Suite("Import progress")
struct ImportProgressTests {
    /// Every `done` reported for a phase of `total` rows advanced one row at a time.
    func reports(total: Int, updates: Int = 100) throws -> [Int] {
        var sent: [Int] = []
        var progress = try ImportProgress(phase: "validating", total: total, updates: updates) { phase, done, all in
            #expect(phase == "validating")
            #expect(all == total)
            sent.append(done)
        }
        for done in stride(from: 1, through: total, by: 1) { try progress.advance(to: done) }
        return sent
    }

    @Test("1,000 rows: a report at the start, every 10 rows, and at the end")
    func everyPercent() throws {
        #expect(try reports(total: 1000) == Array(stride(from: 0, through: 1000, by: 10)))
    }

    @Test("fewer rows than updates: a report per row; four updates of 10 rows: every 2 rows and the end")
    func smallPhases() throws {
        #expect(try reports(total: 3) == [0, 1, 2, 3])
        #expect(try reports(total: 10, updates: 4) == [0, 2, 4, 6, 8, 10])
    }

    @Test("an empty phase reports start and end (0 of 0), as a phase finished in one step does")
    func emptyPhase() throws {
        var sent: [Int] = []
        var progress = try ImportProgress(phase: "store", total: 0) { _, done, _ in sent.append(done) }
        try progress.advance(to: 0)
        #expect(sent == [0, 0])
    }

    @Test("a phase done in one step (validated as a batch) reports 0 and total only")
    func oneStep() throws {
        var sent: [Int] = []
        var progress = try ImportProgress(phase: "validate", total: 500) { _, done, _ in sent.append(done) }
        try progress.advance(to: 500)
        #expect(sent == [0, 500])
    }
}
