import Foundation
import GRDB
import Testing
import XinyuClient
import XinyuCoreAPI
import XinyuCrisisAPI
import XinyuRPC
import XinyuWire

/// A real full disk: the host's whole folder (database, audit trail, sockets) on a small tmpfs,
/// filled with ballast, written to until SQLite reports SQLITE_FULL; then the ballast goes and
/// writes resume.
@Suite("Fault suite: a full disk", .serialized, .timeLimit(.minutes(3)))
struct FullDiskFaultTests {
    static let batch = 100

    static func batchRequest(_ n: Int) -> Xinyu_Crisis_V1_SubmitScreeningBatchRequest {
        .with { request in
            request.submissions = (0..<batch).map { i in
                .with {
                    $0.studentID = FaultCity.studentID(n * batch + i)
                    $0.instrumentID = "phq-a"
                    $0.answers = (0..<9).map { Int32(($0 + i) % 2) }
                    // A round per pass over the city: a round holds one result per student and instrument.
                    $0.roundID = "full-disk-\((n * batch + i) / FaultCity.students)"
                }
            }
        }
    }

    @Test("writes on a full disk answer RESOURCE_EXHAUSTED naming the database and change nothing; reads go on; writes resume when space returns",
          .enabled(if: ScratchTmpfs.unavailableReason == nil, "\(ScratchTmpfs.unavailableReason ?? "")"))
    func fullDisk() async throws {
        let disk = try ScratchTmpfs.mount(bytes: 32 << 20)
        defer { disk.unmount() }
        let host = try await RunningHost(reusing: URL(fileURLWithPath: disk.path), plugins: ["crisis"])
        let client = try await host.client()
        try await FaultCity.seed(client)

        // Leave a little room, then write batches until the disk is full.
        let ballast = disk.path + "/ballast"
        #expect(FileManager.default.createFile(atPath: ballast, contents: Data(count: max(0, disk.freeBytes - (768 << 10)))))
        var acknowledged: [String: Int64] = [:]
        var full: (key: String, n: Int, error: RPCError)?
        for n in 0..<300 where full == nil {
            let key = "full-\(n)"
            do {
                let reply = try await client.call("xinyu.crisis.v1.Crisis/SubmitScreeningBatch", Self.batchRequest(n), as: Xinyu_Crisis_V1_SubmitScreeningBatchResponse.self,
                                                  options: CallOptions(timeout: .seconds(10), idempotencyKey: key))
                acknowledged[key] = reply.accepted
            } catch let error as RPCError {
                full = (key, n, error)
            }
        }
        let refused = try #require(full, "the disk never filled up (\(acknowledged.count) batches written)")
        #expect(refused.error.code == .resourceExhausted, "\(refused.error)")
        #expect(refused.error.message.contains("xinyu.sqlite") && refused.error.message.contains("full"), "names the database: \(refused.error.message)")

        // Reads are still served while the disk is full.
        let level = try await client.call("xinyu.crisis.v1.Crisis/GetWarningLevel", Xinyu_Crisis_V1_GetWarningLevelRequest.with { $0.studentID = "F1" },
                                          as: Xinyu_Crisis_V1_WarningLevel.self)
        #expect(level.studentID == "F1")

        // Space returns: the refused key now succeeds, and every acknowledged key replays its answer.
        try FileManager.default.removeItem(atPath: ballast)
        let retried = try await client.call("xinyu.crisis.v1.Crisis/SubmitScreeningBatch", Self.batchRequest(refused.n), as: Xinyu_Crisis_V1_SubmitScreeningBatchResponse.self,
                                            options: CallOptions(timeout: .seconds(10), idempotencyKey: refused.key))
        #expect(retried.accepted == Int64(Self.batch))
        acknowledged[refused.key] = retried.accepted
        for (key, accepted) in acknowledged.sorted(by: { $0.key < $1.key }) {
            let n = Int(key.dropFirst("full-".count))!
            let replay = try await client.call("xinyu.crisis.v1.Crisis/SubmitScreeningBatch", Self.batchRequest(n), as: Xinyu_Crisis_V1_SubmitScreeningBatchResponse.self,
                                               options: CallOptions(timeout: .seconds(10), idempotencyKey: key))
            #expect(replay.accepted == accepted, "replay of \(key)")
        }

        // Nothing lost, nothing doubled: one row per acknowledged submission.
        var configuration = Configuration()
        configuration.readonly = true
        let db = try DatabaseQueue(path: disk.path + "/xinyu.sqlite", configuration: configuration)
        let (rows, integrity) = try await db.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM crisis_screening_results") ?? -1, try String.fetchAll(db, sql: "PRAGMA integrity_check"))
        }
        #expect(rows == acknowledged.values.reduce(0) { $0 + Int($1) })
        #expect(integrity == ["ok"])
        print("fault-suite full-disk: batches-acknowledged=\(acknowledged.count) rows=\(rows) refused-at=\(refused.key) code=\(refused.error.code) integrity=\(integrity.joined())")
        // The audit entries of reads made while the disk was full were held and written once it had room.
        let admin = try await host.operatorClient()
        let audit = try await admin.call("xinyu.admin.v1.Admin/VerifyAudit", Xinyu_Admin_V1_VerifyAuditRequest(), as: Xinyu_Admin_V1_VerifyAuditResponse.self)
        #expect(audit.intact, "\(audit.problem)")
        await admin.close()
        await client.close()
        _ = try await host.stop()
    }
}
