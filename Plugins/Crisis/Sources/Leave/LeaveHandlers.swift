import GRDB
import XinyuCrisisAPI
import XinyuEventsAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// Medical leave and return (休学/复学): StartLeave → ApplyForReturn → AssessReturn →
/// ConfirmReturn (with a prevention plan 防备预案 and follow-ups, which belong to a case:
/// ``ReturnCase``), and GetLeave.
struct LeaveHandlers: Sendable {
    var configuration: CrisisConfiguration = .default

    func register(_ s: inout ServiceBuilder) {
        s.unary("StartLeave", permission: CrisisPermissions.leaveWrite, mutates: true, handler: start)
        s.unary("ApplyForReturn", permission: CrisisPermissions.leaveWrite, mutates: true, handler: apply)
        s.unary("AssessReturn", permission: CrisisPermissions.leaveWrite, mutates: true, handler: assess)
        s.unary("ConfirmReturn", permission: CrisisPermissions.leaveWrite, mutates: true, handler: confirm)
        s.unary("GetLeave", permission: CrisisPermissions.caseRead, placement: .eventLoop, handler: get)
    }

    @Sendable func start(_ request: Xinyu_Crisis_V1_StartLeaveRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_Leave {
        let day = try CalendarDay.fromRequest(request.startedOn, field: "started_on", default: context.today)
        let reason = try Require.text("reason", request.reason)
        return try await context.store.write { db in
            let student = try StudentFacts.visible(db, id: request.studentID, context: context)
            if try Self.active(db, student.id) != nil { throw RPCError(.alreadyExists, "student \(student.id) is already on leave") }
            try db.execute(sql: """
                INSERT INTO crisis_leaves (student_id, school_id, class_id, status, started_on, reason, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [student.id, student.schoolID, student.classID, LeaveStatus.onLeave.requiredStoredText, day.description, reason, context.nowMs])
            return try Self.message(db, try Self.active(db, student.id)!)
        }
    }

    @Sendable func apply(_ request: Xinyu_Crisis_V1_ApplyForReturnRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_Leave {
        let day = try CalendarDay.fromRequest(request.appliedOn, field: "applied_on", default: context.today)
        return try await transition(request.studentID, from: [.onLeave], context: context) { db, id in
            try db.execute(sql: "UPDATE crisis_leaves SET status = ?, return_applied_on = ?, return_note = ?, updated_at_ms = ? WHERE id = ?",
                           arguments: [LeaveStatus.returnApplied.requiredStoredText, day.description, request.note, context.nowMs, id])
        }
    }

    /// A fit assessment allows the return; an unfit one keeps the application open for a later assessment.
    @Sendable func assess(_ request: Xinyu_Crisis_V1_AssessReturnRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_Leave {
        let day = try CalendarDay.fromRequest(request.assessedOn, field: "assessed_on", default: context.today)
        let summary = try Require.text("summary", request.summary)
        return try await transition(request.studentID, from: [.returnApplied, .assessed], context: context) { db, id in
            try db.execute(sql: """
                UPDATE crisis_leaves SET status = ?, assessed_on = ?, assessment_fit = ?, assessment_summary = ?, updated_at_ms = ? WHERE id = ?
                """, arguments: [(request.fit ? Xinyu_Crisis_V1_LeaveStatus.assessed : .returnApplied).requiredStoredText, day.description, request.fit, summary, context.nowMs, id])
        }
    }

    @Sendable func confirm(_ request: Xinyu_Crisis_V1_ConfirmReturnRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_Leave {
        let day = try CalendarDay.fromRequest(request.returnedOn, field: "returned_on", default: context.today)
        guard !request.preventionPlan.isEmpty else { throw RPCError.invalidField("prevention_plan", "at least one measure is required (防备预案)") }
        let plan = try request.preventionPlan.enumerated().map { index, m in
            (description: try Require.text("prevention_plan[\(index)].description", m.description_p),
             responsible: try Require.text("prevention_plan[\(index)].responsible_id", m.responsibleID, max: 64))
        }
        let interval = try Require.range("follow_up_interval_days", request.followUpIntervalDays, 1...90)
        let count = try Require.range("follow_up_count", request.followUpCount, 1...52)
        let timings = configuration.timings
        return try await transition(request.studentID, from: [.assessed], context: context) { db, id in
            try db.execute(sql: "UPDATE crisis_leaves SET status = ?, returned_on = ?, prevention_plan = ?, updated_at_ms = ? WHERE id = ?",
                           arguments: [LeaveStatus.returned.requiredStoredText, day.description, JSONText.measures(plan), context.nowMs, id])
            let leave = try LeaveRecord.fetchOne(db, sql: "SELECT * FROM crisis_leaves WHERE id = ?", arguments: [id])!
            let student = StudentFacts(id: leave.studentID, schoolID: leave.schoolID, classID: leave.classID)
            let caseID = try ReturnCase.ensure(db, student: student, reason: "follow-ups after the return on \(day)", context: context, timings: timings)
            let dates = FollowUpSchedule.dates(start: day, intervalDays: interval, count: count)
            try FollowUpStore.schedule(db, caseID: caseID, student: student, dates: dates, origin: .return)
            var event = Xinyu_Events_V1_StudentReturned()
            event.studentID = student.id
            event.schoolID = student.schoolID
            event.returnedOn = day.description
            event.followUpDates = dates.map(\.description)
            try context.publish(CrisisTopics.studentReturned, event, in: db)
        }
    }

    @Sendable func get(_ request: Xinyu_Crisis_V1_GetLeaveRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_Leave {
        try await context.store.read { db in
            let student = try StudentFacts.visible(db, id: request.studentID, context: context)
            guard let leave = try LeaveRecord.fetchOne(db, sql: "SELECT * FROM crisis_leaves WHERE student_id = ? ORDER BY id DESC LIMIT 1", arguments: [student.id]) else {
                throw RPCError(.notFound, "student \(student.id) has no leave on record")
            }
            return try Self.message(db, leave)
        }
    }

    private func transition(
        _ studentID: String, from allowed: Set<Xinyu_Crisis_V1_LeaveStatus>, context: CallContext, _ body: @escaping @Sendable (Database, Int64) throws -> Void
    ) async throws -> Xinyu_Crisis_V1_Leave {
        try await context.store.write { db in
            let student = try StudentFacts.visible(db, id: studentID, context: context)
            guard let leave = try Self.active(db, student.id) else { throw RPCError(.failedPrecondition, "student \(student.id) is not on leave") }
            let status = leave.status
            guard let current = Xinyu_Crisis_V1_LeaveStatus(storedText: status), allowed.contains(current) else {
                let needed = allowed.map(\.requiredStoredText).sorted().joined(separator: " or ")
                throw RPCError(.failedPrecondition, "the leave of student \(student.id) is \(status.replacingOccurrences(of: "_", with: " ")); this step needs \(needed)")
            }
            try body(db, leave.id)
            return try Self.message(db, try LeaveRecord.fetchOne(db, sql: "SELECT * FROM crisis_leaves WHERE id = ?", arguments: [leave.id])!)
        }
    }

    /// The student's leave that has not ended in a return, if any (at most one: `crisis_leaves_one_active`).
    static func active(_ db: Database, _ studentID: String) throws -> LeaveRecord? {
        try LeaveRecord.fetchOne(db, sql: "SELECT * FROM crisis_leaves WHERE student_id = ? AND status <> ?",
                                 arguments: [studentID, Xinyu_Crisis_V1_LeaveStatus.returned.requiredStoredText])
    }

    /// The leave as the API sends it, with the follow-ups scheduled after a return.
    static func message(_ db: Database, _ leave: LeaveRecord) throws -> Xinyu_Crisis_V1_Leave {
        guard !leave.returnedOn.isEmpty else { return leave.message(followUps: []) }
        let followUps = try FollowUpRecord.fetchAll(db, sql: """
            \(FollowUpStore.select) WHERE f.student_id = ? AND f.origin = ? AND f.due_on > ? ORDER BY f.due_on
            """, arguments: [leave.studentID, FollowUpOrigin.return.requiredStoredText, leave.returnedOn])
        return leave.message(followUps: followUps.map(\.message))
    }
}
