import GRDB
import XinyuHomeschoolAPI
import XinyuPluginSDK

/// RaiseVisitConcern: a concern found on a home visit raises a concern in crisis (its
/// RaiseConcern, through the host as plugin:homeschool), so the heart grid's acknowledgement
/// clock starts at the school. Once per visit, however often it is asked:
/// - the visit keeps the concern's id, and a visit that has one answers with it;
/// - the call to crisis carries an idempotency key made from the visit's id, so a retry after an
///   answer was lost (the plugin or the host restarted between crisis's write and ours) gets
///   crisis's first concern back instead of raising a second one.
struct VisitConcernHandlers: Sendable {
    static let raiseConcern = "xinyu.crisis.v1.Crisis/RaiseConcern"

    func register(_ s: inout ServiceBuilder) {
        s.unary("RaiseVisitConcern", permission: HomeschoolPermissions.visitWrite, mutates: true, handler: raise)
    }

    @Sendable func raise(_ request: Xinyu_Homeschool_V1_RaiseVisitConcernRequest, _ context: CallContext) async throws -> Xinyu_Homeschool_V1_Visit {
        let id = try Require.id("visit_id", request.visitID, what: "visit")
        let visit = try await context.store.read { db -> VisitRecord in
            guard let visit = try VisitRecord.find(db, id: id) else { throw RPCError(.notFound, "visit \(request.visitID) not found") }
            _ = try Require.student(visit.studentID, context, in: db)   // scope: NOT_FOUND outside it
            return visit
        }
        guard visit.crisisConcernID.isEmpty else {
            return try await context.store.read { db in try VisitRecord.find(db, id: id)!.message(db) }
        }
        guard VisitStatus(storedText: visit.status) == .done else {
            throw RPCError(.failedPrecondition, "field visit_id: visit \(id) is planned, not recorded; record it with its concerns first")
        }
        guard !visit.concerns.isEmpty else {
            throw RPCError(.failedPrecondition, "field visit_id: visit \(id) recorded no concerns to raise")
        }
        var concern = Xinyu_Homeschool_V1_CrisisConcernRequest()
        concern.studentID = visit.studentID
        concern.description_p = "家访发现的问题 (home visit \(id), \(visit.visitedOn)): \(String(visit.concerns.prefix(1800)))"
        let raised = try await context.call(Self.raiseConcern, concern, as: Xinyu_Homeschool_V1_CrisisConcern.self, timeout: .seconds(5),
                                            idempotencyKey: "homeschool-visit-\(id)-concern")
        guard !raised.id.isEmpty else { throw RPCError(.internal, "crisis answered RaiseConcern without a concern id") }
        context.noteForAudit("home visit \(id) raised crisis concern \(raised.id)")
        return try await context.store.write { db in
            // A concurrent call may have stored it first; with the same idempotency key it is the same concern.
            try db.execute(sql: "UPDATE homeschool_visits SET crisis_concern_id = ? WHERE id = ? AND crisis_concern_id = ''", arguments: [raised.id, id])
            return try VisitRecord.find(db, id: id)!.message(db)
        }
    }
}
