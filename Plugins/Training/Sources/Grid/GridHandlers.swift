import GRDB
import XinyuPluginSDK
import XinyuTrainingAPI
import XinyuTrainingCore

/// BuildGrid, ReassignStudent, ListGrid, CheckGrid: the heart grid (心网格). The plan is made
/// here (``GridPlanner``); membership is written through the directory (``DirectoryGridWriter``),
/// so the grid data scope and these methods read one truth.
struct GridHandlers: Sendable {
    let configuration: TrainingConfiguration

    func register(_ s: inout ServiceBuilder) {
        s.unary("BuildGrid", permission: TrainingPermissions.gridWrite, mutates: true, handler: build)
        s.unary("ReassignStudent", permission: TrainingPermissions.gridWrite, mutates: true, handler: reassign)
        s.unary("ListGrid", permission: TrainingPermissions.read, handler: list)
        s.unary("CheckGrid", permission: TrainingPermissions.read, handler: check)
    }

    @Sendable func build(_ request: Xinyu_Training_V1_BuildGridRequest, _ context: CallContext) async throws -> Xinyu_Training_V1_GridBuildReport {
        let reason = try RequestText.required("reason", request.reason)
        let snapshot = try await context.store.read { db in try SchoolGridSnapshot.read(db, schoolID: request.schoolID, context: context) }
        let plan = GridPlanner(ratio: configuration.gridRatio).plan(students: snapshot.students, mentors: snapshot.mentors, current: snapshot.current)
        for change in snapshot.changes(to: plan.assignment) {
            try await DirectoryGridWriter.setGrid(mentor: change.mentor, students: change.students, context: context)
        }
        context.noteForAudit("grid of school \(snapshot.schoolID) rebuilt: \(plan.moved) moved")
        var report = Xinyu_Training_V1_GridBuildReport()
        report.schoolID = snapshot.schoolID
        report.students = Int64(snapshot.students.count)
        report.mentors = Int64(snapshot.mentors.count)
        report.kept = Int64(plan.kept)
        report.moved = Int64(plan.moved)
        report.newlyAssigned = Int64(plan.newlyAssigned)
        report.unassigned = Int64(plan.unassigned.count)
        report.ratio = Int32(configuration.gridRatio)
        let reply = report
        return try await context.store.write { db in
            try db.execute(sql: """
                INSERT INTO training_grid_changes (school_id, kind, moved, reason, changed_by, changed_at_ms) VALUES (?, 'build', ?, ?, ?, ?)
                """, arguments: [snapshot.schoolID, plan.moved, reason, context.principal.id, context.nowMs])
            return reply
        }
    }

    @Sendable func reassign(_ request: Xinyu_Training_V1_ReassignStudentRequest, _ context: CallContext) async throws -> Xinyu_Training_V1_GridBuildReport {
        let reason = try RequestText.required("reason", request.reason)
        let studentID = try RequestText.required("student_id", request.studentID, max: 64)
        let mentorID = try RequestText.required("mentor_id", request.mentorID, max: 64)
        let ratio = configuration.gridRatio
        let (snapshot, from) = try await context.store.read { db -> (SchoolGridSnapshot, String) in
            guard let student = try context.directory.student(studentID, in: db) else { throw RPCError(.notFound, "field student_id: no student \(studentID)") }
            try context.requireScope(student.scopeTarget, what: "student \(studentID)", hideExistence: true, in: db)
            let snapshot = try SchoolGridSnapshot.read(db, schoolID: student.schoolID, context: context)
            guard snapshot.mentors.contains(mentorID) else {
                throw RPCError.invalidField("mentor_id", "\(mentorID) is not a mentor (德育导师) of school \(student.schoolID)")
            }
            return (snapshot, snapshot.current[studentID] ?? "")
        }
        guard from != mentorID else { throw RPCError(.failedPrecondition, "student \(studentID) is already in the grid of \(mentorID)") }
        var assignment = snapshot.current
        let load = assignment.values.filter { $0 == mentorID }.count
        guard load < ratio else {
            throw RPCError(.failedPrecondition, "mentor \(mentorID) already looks after \(load) students; the ratio is 1:\(ratio)")
        }
        assignment[studentID] = mentorID
        for change in snapshot.changes(to: assignment) {
            try await DirectoryGridWriter.setGrid(mentor: change.mentor, students: change.students, context: context)
        }
        context.touched(subjects: [studentID])
        var report = Xinyu_Training_V1_GridBuildReport()
        report.schoolID = snapshot.schoolID
        report.students = Int64(snapshot.students.count)
        report.mentors = Int64(snapshot.mentors.count)
        report.kept = Int64(assignment.count - 1)
        report.moved = from.isEmpty ? 0 : 1
        report.newlyAssigned = from.isEmpty ? 1 : 0
        report.unassigned = Int64(snapshot.students.count - assignment.count)
        report.ratio = Int32(ratio)
        let reply = report
        return try await context.store.write { db in
            try db.execute(sql: """
                INSERT INTO training_grid_changes (school_id, kind, student_id, from_mentor, to_mentor, moved, reason, changed_by, changed_at_ms)
                VALUES (?, 'reassign', ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [snapshot.schoolID, studentID, from, mentorID, reply.moved, reason, context.principal.id, context.nowMs])
            return reply
        }
    }

    @Sendable func list(_ request: Xinyu_Training_V1_ListGridRequest, _ context: CallContext) async throws -> Xinyu_Training_V1_ListGridResponse {
        let mentorID = try RequestText.required("mentor_id", request.mentorID, max: 64)
        return try await context.store.read { db in
            guard let mentor = try context.directory.staff(mentorID, in: db) else { throw RPCError(.notFound, "field mentor_id: no staff member \(mentorID)") }
            // A grid is listed whole or not at all: a mentor (grid scope) sees their own grid, a
            // school-scoped principal every grid of the school, and nobody another's grid.
            try context.requireScope(ScopeTarget(schoolID: mentor.schoolID, mentorIDs: [mentor.id]), what: "heart grid of \(mentor.id)")
            let students = try context.directory.students(ofMentor: mentor.id, in: db)
            context.touched(subjects: students)
            var reply = Xinyu_Training_V1_ListGridResponse()
            reply.mentorID = mentor.id
            reply.studentIds = students
            return reply
        }
    }

    @Sendable func check(_ request: Xinyu_Training_V1_CheckGridRequest, _ context: CallContext) async throws -> Xinyu_Training_V1_GridCheck {
        let ratio = configuration.gridRatio
        return try await context.store.read { db in
            let snapshot = try SchoolGridSnapshot.read(db, schoolID: request.schoolID, context: context)
            var reply = Xinyu_Training_V1_GridCheck()
            reply.ratio = Int32(ratio)
            let mentorSet = Set(snapshot.mentors)
            for mentor in snapshot.grids.keys.sorted() {
                let load = snapshot.grids[mentor]!.count
                if load > ratio { reply.overRatio.append(.with { $0.mentorID = mentor; $0.students = Int64(load) }) }
                if !mentorSet.contains(mentor) { reply.foreignMentors.append(mentor) }
            }
            reply.studentsWithoutMentor = snapshot.students.map(\.id).filter { snapshot.mentorsOfStudent[$0] == nil }
            return reply
        }
    }
}
