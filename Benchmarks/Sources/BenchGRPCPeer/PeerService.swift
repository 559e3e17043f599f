import BenchAPI
import BenchHarness
import Foundation
import GRPCCore
import XinyuStore

/// GetWarningLevel and RecordFollowUp over gRPC, with the same queries as the crisis plugin.
struct PeerService: Bench_V1_Bench.SimpleServiceProtocol {
    let store: SharedDatabase

    func getWarningLevel(request: Bench_V1_GetWarningLevelRequest, context: ServerContext) async throws -> Bench_V1_WarningLevel {
        let id = request.studentID
        guard let level = try await store.read({ db in try BenchQueries.warningLevel(db, studentID: id) }) else {
            throw RPCError(code: .notFound, message: "student \(id) not found")
        }
        var m = Bench_V1_WarningLevel()
        m.studentID = level.studentID
        m.schoolID = level.schoolID
        m.classID = level.classID
        m.level = Int32(level.level)
        m.explanation = level.explanation
        m.since = level.since
        m.reviewDue = level.reviewDue
        m.updatedBy = level.updatedBy
        m.updatedAtMs = level.updatedAtMs
        return m
    }

    func recordFollowUp(request: Bench_V1_RecordFollowUpRequest, context: ServerContext) async throws -> Bench_V1_FollowUp {
        guard let caseID = Int64(request.caseID) else { throw RPCError(code: .invalidArgument, message: "field case_id: not a case id") }
        let summary = request.summary
        let held = request.heldOn.isEmpty ? "2024-10-08" : request.heldOn
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        guard let f = try await store.write({ db in
            try BenchQueries.recordFollowUp(db, caseID: caseID, heldOn: held, summary: summary, by: "operator", nowMs: now)
        }) else {
            throw RPCError(code: .failedPrecondition, message: "case \(caseID) is not open")
        }
        var m = Bench_V1_FollowUp()
        m.id = String(f.id)
        m.caseID = String(f.caseID)
        m.studentID = f.studentID
        m.schoolID = f.schoolID
        m.dueOn = f.dueOn
        m.doneOn = f.doneOn
        m.summary = f.summary
        m.recordedBy = f.recordedBy
        m.origin = f.origin
        m.ownerID = f.ownerID
        return m
    }
}
