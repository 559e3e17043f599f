import GRDB
import XinyuFacilitiesAPI
import XinyuFacilitiesCore
import XinyuPluginSDK

/// ScheduleInspection, RecordFindings, GetInspection: an inspection (专项督查) keeps the template
/// version it was scheduled with; recording its findings measures the figures, computes the
/// school score from that version, creates rectification tasks, and, for a re-inspection,
/// closes or reopens the tasks of the inspection it follows up.
struct InspectionHandlers: Sendable {
    let configuration: FacilitiesConfiguration

    func register(_ s: inout ServiceBuilder) {
        s.unary("ScheduleInspection", permission: FacilitiesPermissions.inspect, mutates: true, handler: schedule)
        s.unary("RecordFindings", permission: FacilitiesPermissions.inspect, mutates: true, handler: record)
        s.unary("GetInspection", permission: FacilitiesPermissions.read, handler: get)
    }

    @Sendable func schedule(_ request: Xinyu_Facilities_V1_ScheduleInspectionRequest, _ context: CallContext) async throws -> Xinyu_Facilities_V1_Inspection {
        let team = request.team.filter { !$0.isEmpty }
        guard !team.isEmpty else { throw RPCError.invalidField("team", "at least one inspector is required") }
        let date = try CalendarDay.fromRequest(request.date, field: "date", default: context.today)
        let templateID = request.templateID.isEmpty ? configuration.defaultTemplate.id : request.templateID
        let previous = request.reinspectionOf.isEmpty ? nil : try SchoolAccess.number(request.reinspectionOf, field: "reinspection_of")
        return try await context.store.write { db in
            _ = try SchoolAccess.visible(db, id: request.schoolID, context: context)
            guard let template = try TemplateStore.load(db, id: templateID) else {
                throw RPCError.invalidField("template_id", "no template \(templateID)")
            }
            if let previous {
                guard let earlier = try InspectionRecord.find(db, id: previous), earlier.schoolID == request.schoolID else {
                    throw RPCError.invalidField("reinspection_of", "no inspection \(previous) of school \(request.schoolID)")
                }
            }
            try db.execute(sql: """
                INSERT INTO facilities_inspections (school_id, team, date, template_id, template_version, status, reinspection_of, scheduled_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [request.schoolID, try JSONColumn.text(team), date.description, template.definition.id, template.version,
                                 InspectionStatus.scheduled.requiredStoredText, previous, context.principal.id])
            return try InspectionView.message(db, InspectionRecord.find(db, id: db.lastInsertedRowID)!, context: context)
        }
    }

    @Sendable func record(_ request: Xinyu_Facilities_V1_RecordFindingsRequest, _ context: CallContext) async throws -> Xinyu_Facilities_V1_Inspection {
        let id = try SchoolAccess.number(request.inspectionID, field: "inspection_id")
        // Read what measuring needs first: the call to crisis cannot run inside the write.
        let (inspection, template) = try await context.store.read { db -> (InspectionRecord, TemplateStore.Version) in
            guard let inspection = try InspectionRecord.find(db, id: id) else { throw RPCError(.notFound, "field inspection_id: no inspection \(id)") }
            _ = try SchoolAccess.visible(db, id: inspection.schoolID, field: "inspection_id", context: context)
            guard let template = try TemplateStore.load(db, id: inspection.templateID, version: inspection.templateVersion) else {
                throw RPCError(.internal, "template \(inspection.templateID) v\(inspection.templateVersion) of inspection \(id) is missing")
            }
            return (inspection, template)
        }
        guard InspectionStatus(storedText: inspection.status) == .scheduled else {
            throw RPCError(.failedPrecondition, "field inspection_id: the findings of inspection \(id) are already recorded")
        }
        let scores = request.findings.map { ItemScore(itemID: $0.itemID, score: Int($0.score)) }
        if let (field, problem) = InspectionScorer.problem(scores, template: template.definition) { throw RPCError.invalidField(field, problem) }
        var parsedOrders: [(index: Int, order: Xinyu_Facilities_V1_RectificationOrder, deadline: CalendarDay)] = []
        for (index, finding) in request.findings.enumerated() where finding.hasRectify {
            let field = "findings[\(index)].rectify"
            guard !finding.rectify.description_p.isEmpty else { throw RPCError.invalidField("\(field).description", "is required") }
            guard !finding.rectify.ownerID.isEmpty else { throw RPCError.invalidField("\(field).owner_id", "is required") }
            parsedOrders.append((index, finding.rectify, try CalendarDay.fromRequest(finding.rectify.deadline, field: "\(field).deadline")))
        }
        let date = CalendarDay(inspection.date) ?? context.today
        let measured = try await MeasuredFigures(configuration: configuration).measure(schoolID: inspection.schoolID, date: date, template: template.definition, context: context)
        let score = InspectionScorer.score(scores, template: template.definition)
        let orders = parsedOrders
        let maxScores: [String: Int] = Dictionary(uniqueKeysWithValues: template.definition.items.map { ($0.id, $0.maxScore) })
        return try await context.store.write { db in
            guard let current = try InspectionRecord.find(db, id: id), InspectionStatus(storedText: current.status) == .scheduled else {
                throw RPCError(.failedPrecondition, "field inspection_id: the findings of inspection \(id) are already recorded")
            }
            for order in orders where try !context.directory.staffExists(order.order.ownerID, in: db) {
                throw RPCError.invalidField("findings[\(order.index)].rectify.owner_id", "no staff member \(order.order.ownerID) in the directory")
            }
            for (position, finding) in request.findings.enumerated() {
                try db.execute(sql: "INSERT INTO facilities_findings (inspection_id, item_id, position, score, note, evidence_ref) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [id, finding.itemID, position, finding.score, finding.note, finding.evidenceRef])
            }
            for order in orders {
                try db.execute(sql: """
                    INSERT INTO facilities_rectifications (inspection_id, school_id, item_id, description, owner_id, deadline, status, updated_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, current.schoolID, request.findings[order.index].itemID, order.order.description_p, order.order.ownerID,
                                     order.deadline.description, RectificationStatus.open.requiredStoredText, context.nowMs])
            }
            if let previous = current.reinspectionOf {
                // Each task of the inspection followed up: the item now at full marks closes it; anything less keeps or reopens it.
                let byItem = Dictionary(request.findings.map { ($0.itemID, Int($0.score)) }, uniquingKeysWith: { first, _ in first })
                for task in try InspectionView.tasks(db, inspectionID: previous) {
                    guard let found = byItem[task.itemID] else { continue }
                    let status: RectificationStatus = found >= (maxScores[task.itemID] ?? Int.max) ? .closed : .open
                    try db.execute(sql: "UPDATE facilities_rectifications SET status = ?, decided_by_inspection = ?, updated_at_ms = ? WHERE id = ?",
                                   arguments: [status.requiredStoredText, id, context.nowMs, task.id])
                }
            }
            try db.execute(sql: """
                UPDATE facilities_inspections SET status = ?, score = ?, measured = ?, recorded_by = ?, recorded_at_ms = ? WHERE id = ?
                """, arguments: [InspectionStatus.recorded.requiredStoredText, score, try JSONColumn.text(measured), context.principal.id, context.nowMs, id])
            return try InspectionView.message(db, InspectionRecord.find(db, id: id)!, context: context)
        }
    }

    @Sendable func get(_ request: Xinyu_Facilities_V1_GetInspectionRequest, _ context: CallContext) async throws -> Xinyu_Facilities_V1_Inspection {
        let id = try SchoolAccess.number(request.inspectionID, field: "inspection_id")
        return try await context.store.read { db in
            guard let inspection = try InspectionRecord.find(db, id: id) else { throw RPCError(.notFound, "field inspection_id: no inspection \(id)") }
            _ = try SchoolAccess.visible(db, id: inspection.schoolID, field: "inspection_id", context: context)
            return try InspectionView.message(db, inspection, context: context)
        }
    }
}
