import GRDB
import XinyuHomeschoolAPI
import XinyuHomeschoolCore
import XinyuPluginSDK

/// Parent education (家庭教育): lectures (家庭教育大讲堂), monthly salons (家长沙龙), micro-lessons
/// and parent schools; guardians from the directory register and attend.
struct ParentEducationHandlers: Sendable {
    let configuration: HomeschoolConfiguration

    func register(_ s: inout ServiceBuilder) {
        s.unary("ScheduleParentEvent", permission: HomeschoolPermissions.parentEducationWrite, mutates: true, handler: schedule)
        s.unary("RegisterGuardian", permission: HomeschoolPermissions.parentEducationWrite, mutates: true, handler: registerGuardian)
        s.unary("RecordAttendance", permission: HomeschoolPermissions.parentEducationWrite, mutates: true, handler: attendance)
        s.unary("GetParticipation", permission: HomeschoolPermissions.statsRead, handler: participation)
    }

    @Sendable func schedule(_ request: Xinyu_Homeschool_V1_ScheduleParentEventRequest, _ context: CallContext) async throws -> Xinyu_Homeschool_V1_ParentEvent {
        let kind = try ParentEventKind.storedText(of: try ParentEventKind.required(request.kind, field: "kind"), field: "kind")
        let title = try Require.text("title", request.title, max: 200)
        guard !request.heldOn.isEmpty else { throw RPCError.invalidField("held_on", "is required") }
        let day = try CalendarDay.fromRequest(request.heldOn, field: "held_on")
        return try await context.store.write { db in
            if request.schoolID.isEmpty {
                guard context.principal.scopes.contains(where: { $0.kind == DataScope.Kind.city }) else {
                    throw RPCError(.permissionDenied, "field school_id: a city-wide event needs city scope; name your school")
                }
            } else {
                guard try context.directory.school(request.schoolID, in: db) != nil else { throw RPCError(.notFound, "school \(request.schoolID) not found") }
                try context.requireScope(ScopeTarget(schoolID: request.schoolID), what: "school \(request.schoolID)", hideExistence: true, in: db)
            }
            try db.execute(sql: "INSERT INTO homeschool_parent_events (kind, title, school_id, held_on, created_by, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [kind, title, request.schoolID, day.description, context.principal.id, context.nowMs])
            return try Self.event(db, id: db.lastInsertedRowID)!
        }
    }

    @Sendable func registerGuardian(_ request: Xinyu_Homeschool_V1_RegisterGuardianRequest, _ context: CallContext) async throws -> Xinyu_Homeschool_V1_Registration {
        let eventID = try Require.id("event_id", request.eventID, what: "parent event")
        return try await context.store.write { db in
            guard try Self.event(db, id: eventID) != nil else { throw RPCError(.notFound, "parent event \(eventID) not found") }
            let student = try Require.student(request.studentID, context, in: db)
            guard try context.directory.guardians(ofStudent: student.id, in: db).contains(where: { $0.id == request.guardianID }) else {
                throw RPCError.invalidField("guardian_id", "\(request.guardianID) is not a guardian of student \(student.id) in the directory")
            }
            guard try !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM homeschool_parent_registrations WHERE event_id = ? AND guardian_id = ?)",
                                    arguments: [eventID, request.guardianID])! else {
                throw RPCError(.alreadyExists, "guardian \(request.guardianID) is already registered for parent event \(eventID)")
            }
            try db.execute(sql: """
                INSERT INTO homeschool_parent_registrations (event_id, guardian_id, student_id, school_id, class_id, registered_at_ms) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [eventID, request.guardianID, student.id, student.schoolID, student.classID, context.nowMs])
            var r = Xinyu_Homeschool_V1_Registration()
            r.eventID = String(eventID)
            r.guardianID = request.guardianID
            r.studentID = student.id
            r.schoolID = student.schoolID
            return r
        }
    }

    /// Marks the registered guardians who attended; a guardian not registered is refused by position, and nothing changes.
    @Sendable func attendance(_ request: Xinyu_Homeschool_V1_RecordAttendanceRequest, _ context: CallContext) async throws -> Xinyu_Homeschool_V1_RecordAttendanceResponse {
        let eventID = try Require.id("event_id", request.eventID, what: "parent event")
        guard !request.guardianIds.isEmpty else { throw RPCError.invalidField("guardian_ids", "is required") }
        return try await context.store.write { db in
            guard let event = try Self.event(db, id: eventID) else { throw RPCError(.notFound, "parent event \(eventID) not found") }
            if !event.schoolID.isEmpty {
                try context.requireScope(ScopeTarget(schoolID: event.schoolID), what: "school \(event.schoolID)", hideExistence: true, in: db)
            }
            for (index, guardian) in request.guardianIds.enumerated() {
                guard let row = try Row.fetchOne(db, sql: "SELECT school_id, class_id, student_id FROM homeschool_parent_registrations WHERE event_id = ? AND guardian_id = ?",
                                                 arguments: [eventID, guardian]) else {
                    throw RPCError.invalidField("guardian_ids[\(index + 1)]", "guardian \(guardian) is not registered for parent event \(eventID)")
                }
                try context.requireScope(ScopeTarget(schoolID: row["school_id"], classID: row["class_id"], studentID: row["student_id"]),
                                         what: "guardian \(guardian)", hideExistence: true, in: db)
                try db.execute(sql: "UPDATE homeschool_parent_registrations SET attended = 1 WHERE event_id = ? AND guardian_id = ?", arguments: [eventID, guardian])
            }
            let counts = try Row.fetchOne(db, sql: "SELECT COUNT(*), COALESCE(SUM(attended), 0) FROM homeschool_parent_registrations WHERE event_id = ?", arguments: [eventID])!
            var reply = Xinyu_Homeschool_V1_RecordAttendanceResponse()
            reply.eventID = String(eventID)
            reply.registered = counts[0]
            reply.attended = counts[1]
            return reply
        }
    }

    /// Registrations and attendance per school (the school of the guardian's student) within
    /// the caller's scope, for events held in the range; events per kind.
    @Sendable func participation(_ request: Xinyu_Homeschool_V1_GetParticipationRequest, _ context: CallContext) async throws -> Xinyu_Homeschool_V1_GetParticipationResponse {
        let year = configuration.schoolYear.days(of: configuration.schoolYear.year(of: context.today))
        let from = try CalendarDay.fromRequest(request.from, field: "from", default: year.first)
        let to = try CalendarDay.fromRequest(request.to, field: "to", default: year.last)
        guard from <= to else { throw RPCError.invalidField("to", "\(to) is before from \(from)") }
        return try await context.store.read { db in
            let scope = context.scopeFilter(ScopeColumns(school: "r.school_id", class: "r.class_id", student: "r.student_id"))
            var sql = """
                SELECT r.school_id, COUNT(*), SUM(r.attended), COUNT(DISTINCT CASE WHEN r.attended = 1 THEN r.guardian_id END)
                FROM homeschool_parent_registrations r JOIN homeschool_parent_events e ON e.id = r.event_id
                WHERE e.held_on BETWEEN ? AND ? AND \(scope.sql)
                """
            var arguments: StatementArguments = [from.description, to.description]
            arguments += scope.arguments
            if !request.schoolID.isEmpty {
                sql += " AND r.school_id = ?"
                arguments += [request.schoolID]
            }
            sql += " GROUP BY r.school_id ORDER BY r.school_id"
            var reply = Xinyu_Homeschool_V1_GetParticipationResponse()
            reply.from = from.description
            reply.to = to.description
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                var line = Xinyu_Homeschool_V1_ParticipationLine()
                line.schoolID = row[0]
                line.registered = row[1]
                line.attended = row[2]
                line.guardiansAttended = row[3]
                reply.schools.append(line)
                reply.total.registered += line.registered
                reply.total.attended += line.attended
                reply.total.guardiansAttended += line.guardiansAttended   // a guardian's children are in one school as a rule
            }
            for row in try Row.fetchAll(db, sql: "SELECT kind, COUNT(*) FROM homeschool_parent_events WHERE held_on BETWEEN ? AND ? GROUP BY kind",
                                        arguments: [from.description, to.description]) {
                reply.eventsByKind[row[0]] = row[1]
            }
            return reply
        }
    }

    static func event(_ db: Database, id: Int64) throws -> Xinyu_Homeschool_V1_ParentEvent? {
        try Row.fetchOne(db, sql: "SELECT * FROM homeschool_parent_events WHERE id = ?", arguments: [id]).map { row in
            var e = Xinyu_Homeschool_V1_ParentEvent()
            e.id = String(row["id"] as Int64)
            e.kind = ParentEventKind(storedText: row["kind"]) ?? .unspecified
            e.title = row["title"]
            e.schoolID = row["school_id"]
            e.heldOn = row["held_on"]
            e.createdBy = row["created_by"]
            e.createdAtMs = row["created_at_ms"]
            return e
        }
    }
}
