/// What detection creates when a screening or a level change puts a student at a level that is
/// owed a case (`[detection]` in crisis.toml): the clock starts at detection, not at OpenCase.
public struct CaseDetection: Sendable, Equatable {
    /// What detection creates.
    public enum Creates: String, Sendable, Equatable, CaseIterable {
        /// An open case at once, with its assignment deadline (the default).
        case openCase = "case"
        /// A "needs a case" item with the same deadline; OpenCase turns it into the case.
        case needsCase = "needs_case"
    }

    /// What detection creates.
    public var creates: Creates
    /// The levels that are owed a case at once (default 1 and 2).
    public var levels: Set<Int>

    /// Creates the settings.
    public init(creates: Creates, levels: Set<Int>) {
        self.creates = creates
        self.levels = levels
    }

    /// An open case for every student detected at level 1 or 2.
    public static let `default` = CaseDetection(creates: .openCase, levels: [1, 2])
}
