import GRDB
import XinyuPluginSDK
import XinyuTrainingAPI

/// CreateCourse, CreateSession, ListSessions: the city's training offer (C/B certificate
/// batches, crisis intervention training, hospital shadowing, themed training, studios).
struct CourseHandlers: Sendable {
    func register(_ s: inout ServiceBuilder) {
        s.unary("CreateCourse", permission: TrainingPermissions.write, mutates: true, handler: createCourse)
        s.unary("CreateSession", permission: TrainingPermissions.write, mutates: true, handler: createSession)
        s.unary("ListSessions", permission: TrainingPermissions.read, handler: listSessions)
    }

    @Sendable func createCourse(_ request: Xinyu_Training_V1_CreateCourseRequest, _ context: CallContext) async throws -> Xinyu_Training_V1_Course {
        let kind = try Xinyu_Training_V1_CourseKind.storedText(of: request.kind, field: "kind")
        let title = try RequestText.required("title", request.title)
        return try await context.store.write { db in
            let now = context.nowMs
            try db.execute(sql: "INSERT INTO training_courses (kind, title, created_by, created_at_ms) VALUES (?, ?, ?, ?)",
                           arguments: [kind, title, context.principal.id, now])
            var course = Xinyu_Training_V1_Course()
            course.id = db.lastInsertedRowID
            course.kind = request.kind
            course.title = title
            course.certifies = request.kind.certifies
            course.createdAtMs = now
            return course
        }
    }

    @Sendable func createSession(_ request: Xinyu_Training_V1_CreateSessionRequest, _ context: CallContext) async throws -> Xinyu_Training_V1_Session {
        let courseID = try RequestText.id("course_id", request.courseID)
        let starts = try CalendarDay.fromRequest(request.startsOn, field: "starts_on")
        let ends = try CalendarDay.fromRequest(request.endsOn, field: "ends_on", default: starts)
        guard ends >= starts else { throw RPCError.invalidField("ends_on", "\(ends) is before starts_on \(starts)") }
        guard (1...1000).contains(request.capacity) else { throw RPCError.invalidField("capacity", "\(request.capacity) is outside 1…1000") }
        guard request.hours > 0, request.hours <= 1000 else { throw RPCError.invalidField("hours", "\(request.hours) is outside (0, 1000]") }
        let place = try RequestText.optional("place", request.place)
        let trainer = try RequestText.optional("trainer", request.trainer)
        return try await context.store.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM training_courses WHERE id = ?)", arguments: [courseID]) == true else {
                throw RPCError(.notFound, "field course_id: no course \(courseID)")
            }
            try db.execute(sql: """
                INSERT INTO training_sessions (course_id, starts_on, ends_on, place, trainer, capacity, hours, created_at_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [courseID, starts.description, ends.description, place, trainer, request.capacity, request.hours, context.nowMs])
            return try SessionRecord.find(db, id: db.lastInsertedRowID)!.message
        }
    }

    @Sendable func listSessions(_ request: Xinyu_Training_V1_ListSessionsRequest, _ context: CallContext) async throws -> Xinyu_Training_V1_ListSessionsResponse {
        let page = PageRequest(list: "training.sessions", filters: [String(request.courseID)],
                               size: PageRequest.clampedSize(request.limit, default: 100, maximum: 500), token: request.pageToken)
        return try await context.store.read { db in
            var q = KeysetQuery(select: SessionRecord.selection, from: "training_sessions x JOIN training_courses c ON c.id = x.course_id",
                                orderBy: [.init("x.starts_on", as: "starts_on"), .init("x.id", as: "id")])
            if request.courseID > 0 { q.filter("x.course_id = ?", [request.courseID]) }
            let found = try q.page(db, page, as: SessionRecord.self)
            var reply = Xinyu_Training_V1_ListSessionsResponse()
            reply.sessions = found.items.map(\.message)
            reply.nextPageToken = found.nextPageToken
            return reply
        }
    }
}
