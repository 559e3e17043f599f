import Foundation

/// A deterministic random number generator for randomized tests, seeded so a failure can be
/// replayed: the seed comes from `XINYU_TEST_SEED` when set, otherwise from the system, and is
/// printed when the generator is made and carried in ``description`` for failure messages.
///
/// ```swift
/// var random = SeededRandom("frame decoder fuzz")   // prints: seed 8412… (replay: XINYU_TEST_SEED=8412…)
/// let n = Int.random(in: 0...64, using: &random)
/// #expect(ok, "\(random)")
/// ```
public struct SeededRandom: RandomNumberGenerator, CustomStringConvertible, Sendable {
    /// The seed this generator started from.
    public let seed: UInt64
    private let name: String
    private var state: UInt64

    /// A generator for the test named `name`, seeded from `XINYU_TEST_SEED` or at random.
    public init(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let seed = environment["XINYU_TEST_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        self.init(name, seed: seed)
        print("\(name): \(description)")
    }

    /// A generator with a fixed seed (for a test that must always see the same values).
    public init(_ name: String, seed: UInt64) {
        self.name = name
        self.seed = seed
        self.state = seed
    }

    /// "seed N (replay: XINYU_TEST_SEED=N swift test --filter …)".
    public var description: String { "seed \(seed) (replay: XINYU_TEST_SEED=\(seed) swift test)" }

    /// SplitMix64: small, fast, and good enough to spread test inputs.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
