import GRDB
import XinyuPluginSDK
import XinyuTrainingAPI
import XinyuTrainingCore

/// RecordAttendance, Complete: attendance per day, and completion with exactly one certificate
/// for a certifying course (the UNIQUE completion per person and session, and the UNIQUE
/// completion id on the certificate, hold whatever the retries).
struct CompletionHandlers: Sendable {
    let configuration: TrainingConfiguration

    func register(_ s: inout ServiceBuilder) {
        s.unary("RecordAttendance", permission: TrainingPermissions.write, mutates: true, handler: attendance)
        s.unary("Complete", permission: TrainingPermissions.write, mutates: true, handler: complete)
    }

    @Sendable func attendance(_ request: Xinyu_Training_V1_RecordAttendanceRequest, _ context: CallContext) async throws -> Xinyu_Training_V1_RecordAttendanceResponse {
        let sessionID = try RequestText.id("session_id", request.sessionID)
        let day = try CalendarDay.fromRequest(request.day, field: "day")
        guard !request.staffIds.isEmpty else { throw RPCError.invalidField("staff_ids", "is required") }
        return try await context.store.write { db in
            guard let session = try SessionRecord.find(db, id: sessionID) else { throw RPCError(.notFound, "field session_id: no session \(sessionID)") }
            guard let first = CalendarDay(session.startsOn), let last = CalendarDay(session.endsOn), first <= day, day <= last else {
                throw RPCError.invalidField("day", "\(day) is outside the session (\(session.startsOn) – \(session.endsOn))")
            }
            var recorded: Int32 = 0
            for (index, raw) in request.staffIds.enumerated() {
                let field = "staff_ids[\(index)]"
                let staff = try StaffLookup.visible(db, id: raw, field: field, context: context)
                guard let enrolment = try EnrolmentRecord.find(db, session: sessionID, staff: staff.id),
                      enrolment.status == "enrolled" || enrolment.status == "completed" else {
                    throw RPCError(.failedPrecondition, "field \(field): \(staff.id) holds no seat in session \(sessionID)")
                }
                try db.execute(sql: "INSERT OR IGNORE INTO training_attendance (session_id, staff_id, day, recorded_by) VALUES (?, ?, ?, ?)",
                               arguments: [sessionID, staff.id, day.description, context.principal.id])
                recorded += Int32(db.changesCount)
            }
            var reply = Xinyu_Training_V1_RecordAttendanceResponse()
            reply.recorded = recorded
            return reply
        }
    }

    @Sendable func complete(_ request: Xinyu_Training_V1_CompleteRequest, _ context: CallContext) async throws -> Xinyu_Training_V1_Completion {
        let sessionID = try RequestText.id("session_id", request.sessionID)
        let configuration = self.configuration
        return try await context.store.write { db in
            guard let session = try SessionRecord.find(db, id: sessionID) else { throw RPCError(.notFound, "field session_id: no session \(sessionID)") }
            let staff = try StaffLookup.visible(db, id: request.staffID, field: "staff_id", context: context)
            guard let enrolment = try EnrolmentRecord.find(db, session: sessionID, staff: staff.id) else {
                throw RPCError(.failedPrecondition, "\(staff.id) is not enrolled in session \(sessionID)")
            }
            switch enrolment.status {
            case "completed":
                // Completing again (another key, or a client that lost the answer) issues nothing new.
                return try Self.completion(db, session: sessionID, staff: staff.id)
            case "enrolled":
                break
            default:
                throw RPCError(.failedPrecondition, "the enrolment of \(staff.id) in session \(sessionID) is \(enrolment.status), not enrolled")
            }
            let attended = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM training_attendance WHERE session_id = ? AND staff_id = ?",
                                            arguments: [sessionID, staff.id]) ?? 0
            guard attended > 0 else { throw RPCError(.failedPrecondition, "\(staff.id) has no attendance recorded in session \(sessionID)") }
            let today = context.today
            try db.execute(sql: """
                INSERT INTO training_completions (session_id, staff_id, hours, completed_on, completed_by) VALUES (?, ?, ?, ?, ?)
                """, arguments: [sessionID, staff.id, session.hours, today.description, context.principal.id])
            let completionID = db.lastInsertedRowID
            try db.execute(sql: "UPDATE training_enrolments SET status = 'completed', updated_at_ms = ? WHERE id = ?", arguments: [context.nowMs, enrolment.id])
            let level = Xinyu_Training_V1_CourseKind(storedText: session.kind)?.certifies ?? .unspecified
            if level != .unspecified {
                let text = level.requiredStoredText
                let years = level == .c ? configuration.cValidYears : configuration.bValidYears
                let expires = CertificateNumber.expiry(issuedOn: today, years: years)?.description ?? ""
                try db.execute(sql: """
                    INSERT INTO training_certificates (number, staff_id, level, issued_on, expires_on, session_id, completion_id, recorded_by, recorded_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [CertificateNumber.make(level: text, issuedOn: today, completionID: completionID), staff.id, text,
                                     today.description, expires, sessionID, completionID, context.principal.id, context.nowMs])
            }
            return try Self.completion(db, session: sessionID, staff: staff.id)
        }
    }

    /// The completion of `staffID` in `sessionID` with its certificate, as stored.
    static func completion(_ db: Database, session sessionID: Int64, staff staffID: String) throws -> Xinyu_Training_V1_Completion {
        guard let row = try Row.fetchOne(db, sql: "SELECT id, hours FROM training_completions WHERE session_id = ? AND staff_id = ?",
                                         arguments: [sessionID, staffID]) else {
            throw RPCError(.failedPrecondition, "\(staffID) has not completed session \(sessionID)")
        }
        var reply = Xinyu_Training_V1_Completion()
        reply.enrolment = try EnrolmentRecord.find(db, session: sessionID, staff: staffID)!.message(db)
        reply.hours = row["hours"]
        if let certificate = try CertificateRecord.issued(db, completion: row["id"]) { reply.certificate = certificate.message }
        return reply
    }
}
