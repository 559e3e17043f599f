import GRDB
import XinyuEventsAPI
import XinyuHomeschoolAPI
import XinyuHomeschoolCore
import XinyuPluginSDK

/// PlanVisit, RecordVisit and ListVisits: every student's home visit (全员家访), and the special
/// visits (特殊家访) with the parents' acknowledgements.
struct VisitHandlers: Sendable {
    let configuration: HomeschoolConfiguration

    func register(_ s: inout ServiceBuilder) {
        s.unary("PlanVisit", permission: HomeschoolPermissions.visitWrite, mutates: true, handler: plan)
        s.unary("RecordVisit", permission: HomeschoolPermissions.visitWrite, mutates: true, handler: record)
        s.unary("ListVisits", permission: HomeschoolPermissions.read, handler: list)
    }

    @Sendable func plan(_ request: Xinyu_Homeschool_V1_PlanVisitRequest, _ context: CallContext) async throws -> Xinyu_Homeschool_V1_Visit {
        guard !request.plannedOn.isEmpty else { throw RPCError.invalidField("planned_on", "is required") }
        let day = try CalendarDay.fromRequest(request.plannedOn, field: "planned_on")
        let mode = request.mode == .unspecified ? VisitMode.inPerson : request.mode
        let modeText = try VisitMode.storedText(of: mode, field: "mode")
        return try await context.store.write { db in
            let student = try Require.student(request.studentID, context, in: db)
            let visitors = try Self.visitors(request.visitors, context, in: db)
            try db.execute(sql: """
                INSERT INTO homeschool_visits (student_id, school_id, class_id, school_year, status, planned_on, mode, visitors, recorded_by, recorded_at_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [student.id, student.schoolID, student.classID, configuration.schoolYear.year(of: day),
                                 VisitStatus.planned.requiredStoredText, day.description, modeText, JSONList.encode(visitors),
                                 context.principal.id, context.nowMs])
            return try VisitRecord.find(db, id: db.lastInsertedRowID)!.message
        }
    }

    @Sendable func record(_ request: Xinyu_Homeschool_V1_RecordVisitRequest, _ context: CallContext) async throws -> Xinyu_Homeschool_V1_Visit {
        let day = try CalendarDay.fromRequest(request.visitedOn, field: "visited_on", default: context.today)
        guard day <= context.today else { throw RPCError.invalidField("visited_on", "\(day) is in the future; record a visit once it is held") }
        let modeText = try VisitMode.storedText(of: try VisitMode.required(request.mode, field: "mode"), field: "mode")
        let met = try request.met.enumerated().map { try Require.text("met[\($0.offset + 1)]", $0.element, max: 50) }
        guard !met.isEmpty else { throw RPCError.invalidField("met", "say who was met, e.g. \"母亲\"") }
        let notes = try Require.optional("notes", request.notes)
        let concerns = try Require.optional("concerns", request.concerns)
        if request.specialVisitID.isEmpty, !request.acknowledgements.isEmpty {
            throw RPCError.invalidField("acknowledgements", "belong to a special visit: give special_visit_id")
        }
        let year = configuration.schoolYear.year(of: day)
        return try await context.store.write { db in
            let student = try Require.student(request.studentID, context, in: db)
            let visitors = try Self.visitors(request.visitors, context, in: db)
            let special = try request.specialVisitID.isEmpty ? nil : SpecialVisitAcknowledgements.openSpecialVisit(request.specialVisitID, of: student, in: db)
            let acknowledgements = try SpecialVisitAcknowledgements.validate(request.acknowledgements, of: student, today: context.today,
                                                                                   refusalReasons: configuration.refusalReasons, context: context, in: db)
            let visitID: Int64
            if request.visitID.isEmpty {
                try db.execute(sql: """
                    INSERT INTO homeschool_visits (student_id, school_id, class_id, school_year, status, visited_on, mode, visitors, met, notes, concerns,
                                                   special_visit_id, recorded_by, recorded_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [student.id, student.schoolID, student.classID, year, VisitStatus.done.requiredStoredText, day.description, modeText,
                                     JSONList.encode(visitors), JSONList.encode(met), notes, concerns, special?.id, context.principal.id, context.nowMs])
                visitID = db.lastInsertedRowID
            } else {
                let id = try Require.id("visit_id", request.visitID, what: "visit")
                guard let planned = try VisitRecord.find(db, id: id), planned.studentID == student.id else {
                    throw RPCError(.notFound, "visit \(request.visitID) not found for student \(student.id)")
                }
                guard VisitStatus(storedText: planned.status) == .planned else {
                    throw RPCError(.failedPrecondition, "visit \(id) is already recorded")
                }
                try db.execute(sql: """
                    UPDATE homeschool_visits SET status = ?, school_year = ?, visited_on = ?, mode = ?, visitors = ?, met = ?, notes = ?, concerns = ?,
                                                 special_visit_id = ?, school_id = ?, class_id = ?, recorded_by = ?, recorded_at_ms = ? WHERE id = ?
                    """, arguments: [VisitStatus.done.requiredStoredText, year, day.description, modeText, JSONList.encode(visitors), JSONList.encode(met),
                                     notes, concerns, special?.id, student.schoolID, student.classID, context.principal.id, context.nowMs, id])
                visitID = id
            }
            var event = Xinyu_Events_V1_VisitRecorded()
            event.visitID = String(visitID)
            event.studentID = student.id
            event.visitedOn = day.description
            event.summary = special == nil ? "家访" : "特殊家访"
            event.recordedBy = context.principal.id
            try context.publish(HomeschoolTopics.visitRecorded, event, in: db)
            // After the visit's own event, so a subscriber sees the visit before its escalation.
            if let special {
                try SpecialVisitAcknowledgements.record(acknowledgements, visitID: visitID, on: special, context: context, in: db)
            }
            return try VisitRecord.find(db, id: visitID)!.message(db)
        }
    }

    @Sendable func list(_ request: Xinyu_Homeschool_V1_ListVisitsRequest, _ context: CallContext) async throws -> Xinyu_Homeschool_V1_ListVisitsResponse {
        let page = PageRequest(list: "homeschool.visits", filters: [request.studentID, request.classID, request.schoolID],
                               size: PageRequest.clampedSize(request.limit, default: 100, maximum: 500), token: request.pageToken)
        return try await context.store.read { db in
            var q = KeysetQuery(select: "v.*", from: "homeschool_visits v", orderBy: [.init("v.id", as: "id")])
            let scope = context.scopeFilter(ScopeColumns(school: "v.school_id", class: "v.class_id", student: "v.student_id"))
            q.filter(scope.sql, arguments: scope.arguments)
            if !request.studentID.isEmpty { q.filter("v.student_id = ?", [request.studentID]) }
            if !request.classID.isEmpty { q.filter("v.class_id = ?", [request.classID]) }
            if !request.schoolID.isEmpty { q.filter("v.school_id = ?", [request.schoolID]) }
            let found = try q.page(db, page, as: VisitRecord.self)
            var reply = Xinyu_Homeschool_V1_ListVisitsResponse()
            reply.visits = try found.items.map { try $0.message(db) }
            reply.nextPageToken = found.nextPageToken
            context.touched(subjects: Array(Set(found.items.map(\.studentID))).sorted())
            return reply
        }
    }

    /// The visitors as staff ids the directory has; the caller when none are given.
    static func visitors(_ given: [String], _ context: CallContext, in db: Database) throws -> [String] {
        guard !given.isEmpty else { return [context.principal.id] }
        for (index, id) in given.enumerated() where try !context.directory.staffExists(id, in: db) {
            throw RPCError.invalidField("visitors[\(index + 1)]", "no staff member \(id) in the directory")
        }
        return given
    }
}
