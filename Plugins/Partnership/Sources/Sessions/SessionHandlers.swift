import GRDB
import XinyuPartnershipAPI
import XinyuPluginSDK

/// Expert sessions: the triage point's weekly sessions (分诊点, 5 a week) and the provincial
/// experts' monthly sessions (省级专家, at least 2 experts): places with a capacity, booking for a
/// student, a waitlist, cancellation and no-shows. Each booking decides in one write transaction
/// (SQLite runs one at a time), so concurrent bookings never take more places than there are.
struct SessionHandlers: Sendable {
    func register(_ s: inout ServiceBuilder) {
        s.unary("CreateExpertSession", permission: PartnershipPermissions.write, mutates: true, handler: create)
        s.unary("ListExpertSessions", permission: PartnershipPermissions.read, handler: list)
        s.unary("BookExpertSession", permission: PartnershipPermissions.sessionBook, mutates: true, handler: book)
        s.unary("CancelBooking", permission: PartnershipPermissions.sessionBook, mutates: true, handler: cancel)
        s.unary("RecordNoShow", permission: PartnershipPermissions.sessionBook, mutates: true, handler: noShow)
    }

    @Sendable func create(_ request: Xinyu_Partnership_V1_CreateExpertSessionRequest, _ context: CallContext) async throws -> Xinyu_Partnership_V1_ExpertSession {
        let kind = try Xinyu_Partnership_V1_SessionKind.storedText(of: request.kind, field: "kind")
        let agency = try Input.slug("agency_id", request.agencyID)
        let startsAt = try Input.localTime("starts_at", request.startsAt)
        let experts = try request.experts.enumerated().map { try Input.text("experts[\($0.offset)]", $0.element, max: 100) }
        let minimum = request.kind == .provincialMonthly ? 2 : 1
        guard experts.count >= minimum else {
            throw RPCError.invalidField("experts", "a \(kind) session needs at least \(minimum) expert\(minimum == 1 ? "" : "s"), got \(experts.count)")
        }
        guard (1...50).contains(request.capacity) else { throw RPCError.invalidField("capacity", "\(request.capacity) is outside 1–50") }
        return try await context.store.write { db in
            _ = try AgencyRecord.required(db, id: agency)
            try db.execute(sql: "INSERT INTO partnership_sessions (kind, agency_id, starts_at, experts, capacity) VALUES (?, ?, ?, ?, ?)",
                           arguments: [kind, agency, startsAt, JSONList.encode(experts), request.capacity])
            return try Self.session(db, id: db.lastInsertedRowID)!
        }
    }

    @Sendable func list(_ request: Xinyu_Partnership_V1_ListExpertSessionsRequest, _ context: CallContext) async throws -> Xinyu_Partnership_V1_ListExpertSessionsResponse {
        let from = try CalendarDay.fromRequest(request.from, field: "from", default: context.today)
        let to = try CalendarDay.fromRequest(request.to, field: "to", default: from.adding(days: 31))
        return try await context.store.read { db in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM partnership_sessions WHERE starts_at >= ? AND starts_at < ? ORDER BY starts_at, id LIMIT 500",
                                         arguments: [from.description, to.adding(days: 1).description])
            var reply = Xinyu_Partnership_V1_ListExpertSessionsResponse()
            reply.sessions = try ids.compactMap { try Self.session(db, id: $0) }
            return reply
        }
    }

    @Sendable func book(_ request: Xinyu_Partnership_V1_BookExpertSessionRequest, _ context: CallContext) async throws -> Xinyu_Partnership_V1_Booking {
        let sessionID = try Input.rowID("session_id", request.sessionID, what: "session")
        let studentID = try Input.text("student_id", request.studentID, max: 64)
        context.touched(subjects: [studentID])
        return try await context.store.write { db in
            guard let capacity = try Int.fetchOne(db, sql: "SELECT capacity FROM partnership_sessions WHERE id = ?", arguments: [sessionID]) else {
                throw RPCError(.notFound, "session \(request.sessionID) not found")
            }
            guard let student = try context.directory.student(studentID, in: db) else { throw RPCError(.notFound, "field student_id: no student \(studentID)") }
            try context.requireScope(student.scopeTarget, what: "student \(studentID)", hideExistence: true, in: db)
            let already = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM partnership_bookings WHERE session_id = ? AND student_id = ? AND status IN ('booked', 'waitlisted')",
                                           arguments: [sessionID, studentID]) ?? 0
            guard already == 0 else { throw RPCError(.alreadyExists, "student \(studentID) already holds a place or waits for one in session \(sessionID)") }
            let booked = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM partnership_bookings WHERE session_id = ? AND status = 'booked'", arguments: [sessionID]) ?? 0
            let status = booked < capacity ? "booked" : "waitlisted"
            try db.execute(sql: "INSERT INTO partnership_bookings (session_id, student_id, school_id, status, booked_by, at_ms) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [sessionID, studentID, student.schoolID, status, context.principal.id, context.nowMs])
            return try Self.booking(db, id: db.lastInsertedRowID)!
        }
    }

    /// Cancels a place or a wait; a freed place goes to the first on the waitlist.
    @Sendable func cancel(_ request: Xinyu_Partnership_V1_CancelBookingRequest, _ context: CallContext) async throws -> Xinyu_Partnership_V1_Booking {
        let id = try Input.rowID("booking_id", request.bookingID, what: "booking")
        return try await context.store.write { db in
            let (status, session) = try Self.visibleBooking(db, id: id, context: context)
            guard status == "booked" || status == "waitlisted" else {
                throw RPCError(.failedPrecondition, "booking \(id) is \(status); only a booked or waitlisted place can be cancelled")
            }
            try db.execute(sql: "UPDATE partnership_bookings SET status = 'cancelled' WHERE id = ?", arguments: [id])
            if status == "booked" {
                try db.execute(sql: """
                    UPDATE partnership_bookings SET status = 'booked'
                    WHERE id = (SELECT id FROM partnership_bookings WHERE session_id = ? AND status = 'waitlisted' ORDER BY id LIMIT 1)
                    """, arguments: [session])
            }
            return try Self.booking(db, id: id)!
        }
    }

    @Sendable func noShow(_ request: Xinyu_Partnership_V1_RecordNoShowRequest, _ context: CallContext) async throws -> Xinyu_Partnership_V1_Booking {
        let id = try Input.rowID("booking_id", request.bookingID, what: "booking")
        return try await context.store.write { db in
            let (status, _) = try Self.visibleBooking(db, id: id, context: context)
            guard status == "booked" else { throw RPCError(.failedPrecondition, "booking \(id) is \(status); only a booked place can be a no-show") }
            try db.execute(sql: "UPDATE partnership_bookings SET status = 'no_show' WHERE id = ?", arguments: [id])
            return try Self.booking(db, id: id)!
        }
    }

    private static func visibleBooking(_ db: Database, id: Int64, context: CallContext) throws -> (status: String, session: Int64) {
        guard let row = try Row.fetchOne(db, sql: "SELECT status, session_id, student_id, school_id FROM partnership_bookings WHERE id = ?", arguments: [id]) else {
            throw RPCError(.notFound, "booking \(id) not found")
        }
        let studentID: String = row["student_id"]
        let target = try context.directory.student(studentID, in: db)?.scopeTarget ?? ScopeTarget(schoolID: row["school_id"], studentID: studentID)
        try context.requireScope(target, what: "booking \(id)", hideExistence: true, in: db)
        context.touched(subjects: [studentID])
        return (row["status"], row["session_id"])
    }

    static func session(_ db: Database, id: Int64) throws -> Xinyu_Partnership_V1_ExpertSession? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT s.*, (SELECT COUNT(*) FROM partnership_bookings b WHERE b.session_id = s.id AND b.status = 'booked') AS booked,
                        (SELECT COUNT(*) FROM partnership_bookings b WHERE b.session_id = s.id AND b.status = 'waitlisted') AS waitlisted
            FROM partnership_sessions s WHERE s.id = ?
            """, arguments: [id]) else { return nil }
        var s = Xinyu_Partnership_V1_ExpertSession()
        s.id = String(row["id"] as Int64)
        s.kind = Xinyu_Partnership_V1_SessionKind(storedText: row["kind"]) ?? .unspecified
        s.agencyID = row["agency_id"]
        s.startsAt = row["starts_at"]
        s.experts = JSONList.decode(row["experts"])
        s.capacity = row["capacity"]
        s.booked = row["booked"]
        s.waitlisted = row["waitlisted"]
        return s
    }

    static func booking(_ db: Database, id: Int64) throws -> Xinyu_Partnership_V1_Booking? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT b.*, CASE WHEN b.status = 'waitlisted' THEN
                (SELECT COUNT(*) FROM partnership_bookings w WHERE w.session_id = b.session_id AND w.status = 'waitlisted' AND w.id <= b.id) ELSE 0 END AS position
            FROM partnership_bookings b WHERE b.id = ?
            """, arguments: [id]) else { return nil }
        var b = Xinyu_Partnership_V1_Booking()
        b.id = String(row["id"] as Int64)
        b.sessionID = String(row["session_id"] as Int64)
        b.studentID = row["student_id"]
        b.status = Xinyu_Partnership_V1_BookingStatus(storedText: row["status"]) ?? .unspecified
        b.waitlistPosition = row["position"]
        b.bookedBy = row["booked_by"]
        return b
    }
}
