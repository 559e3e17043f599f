import GRDB
import XinyuPluginSDK
import XinyuTrainingCore

/// A school's roster and heart grids as the directory holds them now, read in one transaction.
struct SchoolGridSnapshot: Sendable {
    let schoolID: String
    let students: [GridStudent]
    /// Staff of the school with the mentor role, sorted.
    let mentors: [String]
    /// Each grid holding students of this school: mentor → the mentor's whole grid (all schools).
    let grids: [String: [String]]
    /// Student → the mentors whose grid holds them, sorted.
    let mentorsOfStudent: [String: [String]]

    /// Reads the school `schoolID` (NOT_FOUND when the directory has none; scope-checked).
    static func read(_ db: Database, schoolID raw: String, context: CallContext) throws -> SchoolGridSnapshot {
        let schoolID = try RequestText.required("school_id", raw, max: 64)
        guard try context.directory.school(schoolID, in: db) != nil else { throw RPCError(.notFound, "field school_id: no school \(schoolID)") }
        try context.requireScope(ScopeTarget(schoolID: schoolID), what: "school \(schoolID)", hideExistence: true)
        let students = try context.directory.students(ofSchool: schoolID, in: db).map { GridStudent(id: $0.id, classID: $0.classID) }
        let mentors = try context.directory.staffMembers(ofSchool: schoolID, in: db).filter { $0.roles.contains("mentor") }.map(\.id)
        var mentorsOfStudent: [String: [String]] = [:]
        var grids: [String: [String]] = [:]
        for (mentor, student) in try context.directory.gridMemberships(ofSchool: schoolID, in: db) {
            mentorsOfStudent[student, default: []].append(mentor)
            if grids[mentor] == nil { grids[mentor] = try context.directory.students(ofMentor: mentor, in: db) }
        }
        return SchoolGridSnapshot(schoolID: schoolID, students: students, mentors: mentors, grids: grids, mentorsOfStudent: mentorsOfStudent)
    }

    /// Each student's current mentor for planning: the first of the school's mentors holding
    /// them, else the first mentor holding them at all (to be moved).
    var current: [String: String] {
        let mentorSet = Set(mentors)
        return mentorsOfStudent.compactMapValues { held in held.first(where: mentorSet.contains) ?? held.first }
    }

    /// The grids to write so that this school's students are held exactly as `assignment` says:
    /// each changed mentor's whole new grid (students of other schools in it are kept).
    func changes(to assignment: [String: String]) -> [(mentor: String, students: [String])] {
        let ours = Set(students.map(\.id))
        var target: [String: Set<String>] = [:]
        for (mentor, grid) in grids { target[mentor] = Set(grid.filter { !ours.contains($0) }) }
        for mentor in mentors where target[mentor] == nil { target[mentor] = [] }
        for (student, mentor) in assignment { target[mentor, default: []].insert(student) }
        return target.keys.sorted().compactMap { mentor in
            let now = Set(grids[mentor] ?? [])
            return target[mentor] == now ? nil : (mentor, target[mentor]!.sorted())
        }
    }
}
