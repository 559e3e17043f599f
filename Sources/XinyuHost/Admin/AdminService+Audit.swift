import Foundation
import GRDB
import XinyuAudit
import XinyuCoreAPI
import XinyuPluginSDK
import XinyuWire

/// The audit methods of `xinyu.admin.v1.Admin`.
extension AdminService {
    func queryAudit(_ request: Xinyu_Admin_V1_QueryAuditRequest, _ context: CallContext) async throws -> Xinyu_Admin_V1_QueryAuditResponse {
        guard request.limit <= UInt32(AuditQuery.maximumLimit) else {
            throw RPCError.invalidField("limit", "\(request.limit) is more than \(AuditQuery.maximumLimit)")
        }
        if request.fromMs != 0, request.toMs != 0, request.fromMs > request.toMs {
            throw RPCError.invalidField("from_ms", "is after to_ms")
        }
        try await auditTrail.writer.flush()
        let query = AuditQuery(
            principalID: request.principalID.isEmpty ? nil : request.principalID,
            // A package or service prefix ("xinyu.crisis.v1.") matches every method under it.
            method: request.method.isEmpty ? nil : (request.method.contains("/") ? request.method : request.method + "*"),
            subject: request.subject.isEmpty ? nil : request.subject,
            outcome: request.outcome.isEmpty ? nil : request.outcome,
            from: request.fromMs == 0 ? nil : Date(timeIntervalSince1970: Double(request.fromMs) / 1000),
            to: request.toMs == 0 ? nil : Date(timeIntervalSince1970: Double(request.toMs) / 1000),
            limit: request.limit == 0 ? 100 : Int(request.limit),
            afterSequence: request.afterSequence == 0 ? nil : request.afterSequence)
        var response = Xinyu_Admin_V1_QueryAuditResponse()
        response.records = try await auditTrail.log.query(query).map(Self.wire)
        return response
    }

    func verifyAudit(_ request: Xinyu_Admin_V1_VerifyAuditRequest, _ context: CallContext) async throws -> Xinyu_Admin_V1_VerifyAuditResponse {
        try await auditTrail.writer.flush()
        let result = try await auditTrail.log.verify()
        var response = Xinyu_Admin_V1_VerifyAuditResponse()
        response.intact = result.isIntact
        response.checked = UInt64(result.checked)
        response.firstSequence = result.firstSequence ?? 0
        response.lastSequence = result.lastSequence ?? 0
        if let problem = result.problem {
            response.brokenAtSequence = problem.sequence
            response.problem = problem.description
        }
        return response
    }

    /// "Who has looked at this student?" — for someone whose scope covers the student, e.g. the
    /// psych teacher who owns the case. Outside the caller's scope the student does not exist.
    func whoAccessed(_ request: Xinyu_Admin_V1_WhoAccessedRequest, _ context: CallContext) async throws -> Xinyu_Admin_V1_QueryAuditResponse {
        let student = request.studentID.trimmingCharacters(in: .whitespaces)
        guard !student.isEmpty else { throw RPCError.invalidField("student_id", "is required") }
        guard request.limit <= 10_000 else { throw RPCError.invalidField("limit", "\(request.limit) is more than 10000") }
        let placement = try await database.read { db -> [String]? in
            try Row.fetchOne(db, sql: "SELECT school_id, class_id FROM directory_students WHERE id = ?", arguments: [student])
                .map { [$0["school_id"], $0["class_id"]] }
        }
        guard let placement else { throw RPCError(.notFound, "student \(student) not found") }
        context.touched(subjects: [student])
        try context.requireScope(
            ScopeTarget(schoolID: placement[0], classID: placement[1], studentID: student),
            what: "student \(student)", hideExistence: true)
        try await auditTrail.writer.flush()
        var response = Xinyu_Admin_V1_QueryAuditResponse()
        response.records = try await auditTrail.log.whoLookedAt(subject: student, limit: request.limit == 0 ? 100 : Int(request.limit)).map(Self.wire)
        return response
    }

    static func wire(_ record: AuditRecord) -> Xinyu_Admin_V1_AuditRecord {
        var r = Xinyu_Admin_V1_AuditRecord()
        r.sequence = record.sequence
        r.timeMs = Int64(record.entry.time.timeIntervalSince1970 * 1000)
        r.principalID = record.entry.principalID
        r.principalKind = record.entry.principalKind
        r.source = record.entry.source
        r.method = record.entry.method
        r.outcome = record.entry.outcome
        r.detail = record.entry.detail
        r.subjects = record.entry.subjects
        return r
    }
}
