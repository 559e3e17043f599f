/// The outcome of ``GridPlanner/plan(students:mentors:current:)``: who looks after whom, and how
/// much changed against the grids before.
public struct GridPlan: Sendable, Equatable {
    /// Student id → mentor id, for every student who has a mentor.
    public var assignment: [String: String]
    /// Students who kept the mentor they had.
    public var kept: Int
    /// Students who had a mentor and now have another one.
    public var moved: Int
    /// Students who had no mentor and now have one.
    public var newlyAssigned: Int
    /// Students left without a mentor because the mentors are full at the ratio, sorted.
    public var unassigned: [String]

    /// Each mentor's students, sorted; every mentor planned for appears, also with none.
    public func grids(mentors: [String]) -> [String: [String]] {
        var grids = Dictionary(uniqueKeysWithValues: mentors.map { ($0, [String]()) })
        for (student, mentor) in assignment { grids[mentor, default: []].append(student) }
        return grids.mapValues { $0.sorted() }
    }
}
