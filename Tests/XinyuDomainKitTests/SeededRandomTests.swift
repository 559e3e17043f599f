import Testing
import XinyuTestSupport

@Suite("SeededRandom: randomized tests can be replayed")
struct SeededRandomTests {
    @Test("the same seed gives the same sequence; XINYU_TEST_SEED sets it")
    func replay() {
        var a = SeededRandom("a", environment: ["XINYU_TEST_SEED": "42"])
        var b = SeededRandom("b", seed: 42)
        #expect(a.seed == 42)
        #expect((0..<8).map { _ in a.next() } == (0..<8).map { _ in b.next() })
        #expect(a.description.contains("XINYU_TEST_SEED=42"))
    }

    @Test("without XINYU_TEST_SEED each run picks its own seed")
    func fresh() {
        let seeds = Set((0..<4).map { _ in SeededRandom("x", environment: [:]).seed })
        #expect(seeds.count > 1)
    }
}
