import Testing
import XinyuTrainingCore

/// The heart-grid plan: the ratio, classes kept together, balance, and minimal moves on rebuild.
@Suite("Grid planner")
struct GridPlannerTests {
    /// `classes` classes of `size` students each: C1-S001 … in class C1, and so on.
    static func roster(classes: Int, size: Int, prefix: String = "C") -> [GridStudent] {
        (1...classes).flatMap { c in (1...size).map { n in GridStudent(id: "\(prefix)\(c)-S\(String(format: "%03d", n))", classID: "\(prefix)\(c)") } }
    }

    static let mentors = (1...7).map { "M\($0)" }

    func loads(_ plan: GridPlan) -> [String: Int] {
        plan.assignment.values.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    func mentorsPerClass(_ plan: GridPlan, _ students: [GridStudent]) -> [String: Set<String>] {
        students.reduce(into: [:]) { $0[$1.classID, default: []].insert(plan.assignment[$1.id]!) }
    }

    @Test("100 students in 4 classes and 7 mentors: everyone placed, at most 15 each, each class over the fewest mentors it can")
    func freshBuild() {
        let students = Self.roster(classes: 4, size: 25)
        let plan = GridPlanner(ratio: 15).plan(students: students, mentors: Self.mentors, current: [:])
        #expect(plan.assignment.count == 100 && plan.unassigned.isEmpty)
        #expect(plan.newlyAssigned == 100 && plan.moved == 0 && plan.kept == 0)
        let loads = loads(plan)
        #expect(loads.values.allSatisfy { $0 <= 15 })
        #expect(loads.count == 7 && loads.values.min()! >= 10, "balanced: \(loads)")
        // A class of 25 needs two mentors at 1:15; the last one placed may need a third.
        let spread = mentorsPerClass(plan, students)
        #expect(spread.values.allSatisfy { $0.count <= 3 }, "\(spread)")
        #expect(spread.values.filter { $0.count == 2 }.count >= 3, "\(spread)")
    }

    @Test("classes that fit stay whole: 6 classes of 15 with 6 mentors give one class per mentor")
    func wholeClasses() {
        let students = Self.roster(classes: 6, size: 15)
        let plan = GridPlanner(ratio: 15).plan(students: students, mentors: Array(Self.mentors.prefix(6)), current: [:])
        let spread = mentorsPerClass(plan, students)
        #expect(spread.values.allSatisfy { $0.count == 1 } && Set(spread.values.map { $0.first! }).count == 6)
    }

    @Test("rebuild after adding 10 students and a mentor moves nobody; without the mentor the surplus stays unassigned, still nobody moved")
    func rebuildMovesOnlyWhatItMust() {
        let students = Self.roster(classes: 4, size: 25)
        let planner = GridPlanner(ratio: 15)
        let first = planner.plan(students: students, mentors: Self.mentors, current: [:])
        let added = students + Self.roster(classes: 1, size: 10, prefix: "N")
        let withMentor = planner.plan(students: added, mentors: Self.mentors + ["M8"], current: first.assignment)
        #expect(withMentor.moved == 0 && withMentor.kept == 100 && withMentor.newlyAssigned == 10 && withMentor.unassigned.isEmpty)
        #expect(students.allSatisfy { withMentor.assignment[$0.id] == first.assignment[$0.id] })
        #expect(Set(added.suffix(10).map { withMentor.assignment[$0.id]! }).count == 1, "the new class stays together")
        let without = planner.plan(students: added, mentors: Self.mentors, current: first.assignment)
        #expect(without.moved == 0 && without.kept == 100 && without.newlyAssigned == 5 && without.unassigned.count == 5)
        #expect(loads(without).values.allSatisfy { $0 <= 15 })
    }

    @Test("a mentor who leaves: only their students move, to mentors with room")
    func mentorLeaves() {
        let students = Self.roster(classes: 4, size: 20)
        let planner = GridPlanner(ratio: 15)
        let first = planner.plan(students: students, mentors: Self.mentors, current: [:])
        let leaving = "M2"
        let theirs = first.assignment.filter { $0.value == leaving }.count
        let after = planner.plan(students: students, mentors: Self.mentors.filter { $0 != leaving }, current: first.assignment)
        #expect(after.moved == theirs && after.kept == 80 - theirs && after.unassigned.isEmpty)
        #expect(loads(after).values.allSatisfy { $0 <= 15 })
    }

    @Test("a lower ratio moves the students of the smallest class blocks, no more than needed")
    func lowerRatio() {
        let students = Self.roster(classes: 2, size: 10)
        let current = Dictionary(uniqueKeysWithValues: students.map { ($0.id, $0.classID == "C1" || $0.id.hasSuffix("1") ? "M1" : "M2") })
        let m1 = current.values.filter { $0 == "M1" }.count
        let plan = GridPlanner(ratio: 10).plan(students: students, mentors: ["M1", "M2", "M3"], current: current)
        #expect(plan.moved == m1 - 10)
        #expect(loads(plan).values.allSatisfy { $0 <= 10 })
        #expect(students.filter { $0.classID == "C1" }.allSatisfy { plan.assignment[$0.id] == "M1" }, "the large C1 block stays")
    }

    @Test("no mentors: everyone unassigned")
    func noMentors() {
        let plan = GridPlanner(ratio: 15).plan(students: Self.roster(classes: 1, size: 3), mentors: [], current: [:])
        #expect(plan.assignment.isEmpty && plan.unassigned.count == 3)
    }
}
