import GRDB
import XinyuPluginSDK
import XinyuTrainingAPI

/// Enrol, Withdraw, ListEnrolments: seats that are never over-booked and a waitlist that moves up.
struct EnrolmentHandlers: Sendable {
    func register(_ s: inout ServiceBuilder) {
        s.unary("Enrol", permission: TrainingPermissions.enrol, mutates: true, handler: enrol)
        s.unary("Withdraw", permission: TrainingPermissions.enrol, mutates: true, handler: withdraw)
        s.unary("ListEnrolments", permission: TrainingPermissions.read, handler: list)
    }

    @Sendable func enrol(_ request: Xinyu_Training_V1_EnrolRequest, _ context: CallContext) async throws -> Xinyu_Training_V1_Enrolment {
        let sessionID = try RequestText.id("session_id", request.sessionID)
        return try await context.store.write { db in
            guard let session = try SessionRecord.find(db, id: sessionID) else { throw RPCError(.notFound, "field session_id: no session \(sessionID)") }
            let staff = try StaffLookup.visible(db, id: request.staffID, field: "staff_id", context: context)
            // Enrolling again is not an error: the answer is the enrolment there is.
            if let existing = try EnrolmentRecord.find(db, session: sessionID, staff: staff.id), existing.status != "withdrawn" {
                return try existing.message(db)
            }
            return try SeatLedger.enrol(db, session: session, staff: staff.id, nowMs: context.nowMs).message(db)
        }
    }

    @Sendable func withdraw(_ request: Xinyu_Training_V1_WithdrawRequest, _ context: CallContext) async throws -> Xinyu_Training_V1_WithdrawResponse {
        let sessionID = try RequestText.id("session_id", request.sessionID)
        return try await context.store.write { db in
            let staff = try StaffLookup.visible(db, id: request.staffID, field: "staff_id", context: context)
            guard let enrolment = try EnrolmentRecord.find(db, session: sessionID, staff: staff.id) else {
                throw RPCError(.notFound, "staff member \(staff.id) is not enrolled in session \(sessionID)")
            }
            guard enrolment.status == "enrolled" || enrolment.status == "waitlisted" else {
                throw RPCError(.failedPrecondition, "the enrolment of \(staff.id) in session \(sessionID) is \(enrolment.status); only an enrolled or waitlisted one can be withdrawn")
            }
            let promoted = try SeatLedger.withdraw(db, enrolment, nowMs: context.nowMs)
            var reply = Xinyu_Training_V1_WithdrawResponse()
            reply.withdrawn = try EnrolmentRecord.find(db, session: sessionID, staff: staff.id)!.message(db)
            if let promoted { reply.promoted = try promoted.message(db) }
            return reply
        }
    }

    @Sendable func list(_ request: Xinyu_Training_V1_ListEnrolmentsRequest, _ context: CallContext) async throws -> Xinyu_Training_V1_ListEnrolmentsResponse {
        let sessionID = try RequestText.id("session_id", request.sessionID)
        let status = request.status == .unspecified ? "" : try Xinyu_Training_V1_EnrolmentStatus.storedText(of: request.status, field: "status")
        let page = PageRequest(list: "training.enrolments", filters: [String(sessionID), status],
                               size: PageRequest.clampedSize(request.limit, default: 100, maximum: 1000), token: request.pageToken)
        return try await context.store.read { db in
            var q = KeysetQuery(select: "e.*", from: "training_enrolments e", orderBy: [.init("e.id", as: "id")])
            q.filter("e.session_id = ?", [sessionID])
            if !status.isEmpty { q.filter("e.status = ?", [status]) }
            let found = try q.page(db, page, as: EnrolmentRecord.self)
            // Only the enrolments of staff inside the caller's data scope.
            var reply = Xinyu_Training_V1_ListEnrolmentsResponse()
            for enrolment in found.items {
                let member = try context.directory.staff(enrolment.staffID, in: db)
                guard ScopeTarget(schoolID: member?.schoolID).isCovered(by: context.principal.scopes) else { continue }
                reply.enrolments.append(try enrolment.message(db))
            }
            reply.nextPageToken = found.nextPageToken
            return reply
        }
    }
}
