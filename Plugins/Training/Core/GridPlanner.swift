/// Plans a school's heart grid (心网格): every student with a mentor, at most `ratio` students
/// per mentor, classes kept together where they fit, loads balanced, and, when grids already
/// exist, as few students moved as possible. Pure: the same input always gives the same plan.
///
/// The algorithm (docs/TRAINING.md, "The grid algorithm"):
/// 1. **Keep.** A student whose current mentor is still a mentor of the school stays, up to
///    `ratio` per mentor; a mentor over the ratio keeps the largest class blocks and lets the
///    students of the smallest blocks go (ties: higher student id goes first).
/// 2. **Place.** The students left (new, or whose mentor left or was over the ratio) are placed
///    class by class, largest class first. The placement cap is the even share
///    `⌈students/mentors⌉`, raised to the largest class that fits within the ratio (a class is
///    kept whole before loads are evened), never above `ratio`; when every mentor is at the cap,
///    it rises to `ratio`. For each
///    class: first mentors already holding that class (most of it first), then the mentor whose
///    free room fits the rest of the class most tightly, else the mentor with most free room.
/// 3. Students for whom no mentor has room at the ratio stay unassigned and are reported.
public struct GridPlanner: Sendable {
    /// Students per mentor, at most.
    public let ratio: Int

    /// Creates a planner for a ratio of 1:`ratio`.
    public init(ratio: Int) {
        precondition(ratio > 0, "a grid ratio is at least 1")
        self.ratio = ratio
    }

    /// The plan for `students` and `mentors`, starting from `current` (student → mentor).
    public func plan(students: [GridStudent], mentors: [String], current: [String: String]) -> GridPlan {
        let mentors = Array(Set(mentors)).sorted()
        let mentorSet = Set(mentors)
        var loads = Dictionary(uniqueKeysWithValues: mentors.map { ($0, 0) })
        var classCounts: [String: [String: Int]] = [:]   // mentor → class → students
        var assignment: [String: String] = [:]
        var pending: [GridStudent] = []

        // 1. Keep: per mentor, the largest class blocks first, up to the ratio.
        var holding: [String: [GridStudent]] = [:]
        for student in students.sorted(by: { $0.id < $1.id }) {
            if let mentor = current[student.id], mentorSet.contains(mentor) {
                holding[mentor, default: []].append(student)
            } else {
                pending.append(student)
            }
        }
        for mentor in mentors {
            let held = holding[mentor] ?? []
            let blockSize = Dictionary(grouping: held, by: \.classID).mapValues(\.count)
            let ordered = held.sorted { a, b in
                let (sa, sb) = (blockSize[a.classID]!, blockSize[b.classID]!)
                if sa != sb { return sa > sb }
                if a.classID != b.classID { return a.classID < b.classID }
                return a.id < b.id
            }
            for (index, student) in ordered.enumerated() {
                if index < ratio {
                    assignment[student.id] = mentor
                    loads[mentor]! += 1
                    classCounts[mentor, default: [:]][student.classID, default: 0] += 1
                } else {
                    pending.append(student)
                }
            }
        }
        let kept = assignment.count

        // 2. Place the rest, class by class, largest first.
        var unassigned: [String] = []
        if mentors.isEmpty {
            unassigned = pending.map(\.id)
        } else {
            let byClass = Dictionary(grouping: pending, by: \.classID)
            // Balanced loads, except that a class that fits within the ratio may fill a mentor
            // beyond the even share rather than be split.
            let even = (students.count + mentors.count - 1) / mentors.count
            let largestWhole = byClass.values.map(\.count).filter { $0 <= ratio }.max() ?? 0
            var cap = min(ratio, max(even, largestWhole))
            let classes = byClass.keys.sorted { a, b in
                let (ca, cb) = (byClass[a]!.count, byClass[b]!.count)
                return ca != cb ? ca > cb : a < b
            }
            for classID in classes {
                var left = byClass[classID]!.sorted { $0.id < $1.id }
                while !left.isEmpty {
                    if !mentors.contains(where: { loads[$0]! < cap }) {
                        guard cap < ratio else { break }
                        cap = ratio
                        continue
                    }
                    let mentor = Self.choose(mentors: mentors, loads: loads, cap: cap, classID: classID, need: left.count, classCounts: classCounts)
                    let take = min(cap - loads[mentor]!, left.count)
                    for student in left.prefix(take) {
                        assignment[student.id] = mentor
                        classCounts[mentor, default: [:]][classID, default: 0] += 1
                    }
                    loads[mentor]! += take
                    left.removeFirst(take)
                }
                unassigned += left.map(\.id)
            }
        }

        var moved = 0
        var newlyAssigned = 0
        for student in pending where assignment[student.id] != nil {
            if current[student.id] != nil { moved += 1 } else { newlyAssigned += 1 }
        }
        return GridPlan(assignment: assignment, kept: kept, moved: moved, newlyAssigned: newlyAssigned, unassigned: unassigned.sorted())
    }

    /// The mentor for the next block of `need` students of `classID`: one already holding the
    /// class (most of it first), else the tightest fit for the whole block, else the most room.
    static func choose(mentors: [String], loads: [String: Int], cap: Int, classID: String, need: Int, classCounts: [String: [String: Int]]) -> String {
        let open = mentors.filter { loads[$0]! < cap }
        let holders = open.filter { (classCounts[$0]?[classID] ?? 0) > 0 }
        if let best = holders.max(by: { a, b in
            let (ca, cb) = (classCounts[a]![classID]!, classCounts[b]![classID]!)
            return ca != cb ? ca < cb : a > b
        }) { return best }
        let fitting = open.filter { cap - loads[$0]! >= need }
        if let tightest = fitting.min(by: { a, b in
            let (fa, fb) = (cap - loads[a]!, cap - loads[b]!)
            return fa != fb ? fa < fb : a < b
        }) { return tightest }
        return open.max { a, b in
            let (fa, fb) = (cap - loads[a]!, cap - loads[b]!)
            return fa != fb ? fa < fb : a > b
        }!
    }
}
