import GRDB
import XinyuCrisisAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// RaiseConcern, AcknowledgeConcern, ListConcerns: the heart grid (心网格) path from a mentor's
/// first sign of trouble to a psych teacher.
struct ConcernHandlers: Sendable {
    let configuration: CrisisConfiguration

    func register(_ s: inout ServiceBuilder) {
        s.unary("RaiseConcern", permission: CrisisPermissions.concernWrite, mutates: true, placement: .eventLoop, handler: raise)
        s.unary("AcknowledgeConcern", permission: CrisisPermissions.concernAck, mutates: true, handler: acknowledge)
        s.unary("ListConcerns", permission: CrisisPermissions.concernAck, handler: list)
    }

    @Sendable func raise(_ request: Xinyu_Crisis_V1_RaiseConcernRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_Concern {
        let description = try Require.text("description", request.description_p)
        let minutes = Int64(configuration.timings.concernAcknowledgeMinutes)
        return try await context.store.write { db in
            let student = try StudentFacts.visible(db, id: request.studentID, context: context)
            let now = context.nowMs
            let due = now + minutes * 60_000
            try db.execute(sql: """
                INSERT INTO crisis_concerns (student_id, school_id, class_id, description, raised_by, raised_at_ms, acknowledge_due_ms, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [student.id, student.schoolID, student.classID, description, context.principal.id, now, due, ConcernStatus.open.requiredStoredText])
            let id = db.lastInsertedRowID
            try EscalationTimers.concernRaised(db, concernID: id, dueAtMs: due, context: context)
            return try ConcernRecord.fetchOne(db, sql: "SELECT * FROM crisis_concerns WHERE id = ?", arguments: [id])!.message
        }
    }

    @Sendable func acknowledge(_ request: Xinyu_Crisis_V1_AcknowledgeConcernRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_Concern {
        let id = try Require.id("concern_id", request.concernID, what: "concern")
        return try await context.store.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM crisis_concerns WHERE id = ?", arguments: [id]) else {
                throw RPCError(.notFound, "concern \(request.concernID) not found")
            }
            context.touched(subjects: [row["student_id"]])
            try StudentFacts.requireVisible(db, id: row["student_id"], what: "concern \(request.concernID)", context: context)
            guard Xinyu_Crisis_V1_ConcernStatus(storedText: row["status"]) != .acknowledged else { throw RPCError(.failedPrecondition, "concern \(request.concernID) was already acknowledged") }
            try db.execute(sql: """
                UPDATE crisis_concerns SET status = ?, acknowledged_by = ?, acknowledged_at_ms = ?, acknowledge_note = ? WHERE id = ?
                """, arguments: [ConcernStatus.acknowledged.requiredStoredText, context.principal.id, context.nowMs, request.note, id])
            try EscalationTimers.concernAcknowledged(db, concernID: id, context: context)
            return try ConcernRecord.fetchOne(db, sql: "SELECT * FROM crisis_concerns WHERE id = ?", arguments: [id])!.message
        }
    }

    @Sendable func list(_ request: Xinyu_Crisis_V1_ListConcernsRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_ListConcernsResponse {
        try await context.store.read { db in
            let scope = context.crisisScope("k")
            var sql = "SELECT * FROM crisis_concerns k WHERE \(scope.sql)"
            var arguments = scope.arguments
            if !request.schoolID.isEmpty { sql += " AND \(context.crisisSchoolFilter("k"))"; arguments += [request.schoolID] }
            if request.unacknowledgedOnly { sql += " AND k.status <> ?"; arguments += [ConcernStatus.acknowledged.requiredStoredText] }
            if request.escalatedToMe {
                // The lists the caller owns: the psych lead's, and the growth centre's for a city-wide caller.
                sql += " AND k.status = ? AND (k.owner_id = ?\(scope.isUnrestricted ? " OR k.escalated_to = ?" : ""))"
                arguments += [ConcernStatus.escalated.requiredStoredText, context.staffID]
                if scope.isUnrestricted { arguments += [ConcernOwner.growthCentre.requiredStoredText] }
            }
            sql += " ORDER BY k.acknowledge_due_ms LIMIT 1000"
            var response = Xinyu_Crisis_V1_ListConcernsResponse()
            response.concerns = try ConcernRecord.fetchAll(db, sql: sql, arguments: arguments).map(\.message)
            context.touched(subjects: Array(Set(response.concerns.map(\.studentID))).sorted())
            return response
        }
    }

}
