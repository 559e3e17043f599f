import Foundation
import Testing
import XinyuClient
import XinyuCoreAPI
import XinyuFixtureAPI
import XinyuRPC
import XinyuWire

/// A full disk is shown: once a plugin's write is refused with SQLITE_FULL, Health says
/// "degraded" naming the storage, Host/Status carries it, reads are still served, and it clears
/// with the first write that succeeds once there is space again.
@Suite("A full disk is shown in Health and Status", .serialized)
struct DiskFullHealthTests {
    func share(_ client: XinyuClient, key: String) async throws -> Int64 {
        var request = Xinyu_Fixture_V1_ShareRequest()
        request.studentID = "S2024-0113"
        request.agencyID = "agency-1"
        // Large enough to need new pages of the database file.
        request.note = String(repeating: "记录", count: 10_000)
        return try await client.call("xinyu.fixture.v1.Probe/Share", request, as: Xinyu_Fixture_V1_ShareReply.self,
                                     options: CallOptions(timeout: .seconds(10), idempotencyKey: key)).shareID
    }

    func limit(_ client: XinyuClient, full: Bool) async throws {
        var request = Xinyu_Fixture_V1_LimitDatabaseRequest()
        request.full = full
        _ = try await client.call("xinyu.fixture.v1.Probe/LimitDatabase", request, as: Xinyu_Fixture_V1_LimitDatabaseReply.self)
    }

    func health(_ client: XinyuClient) async throws -> Xinyu_Host_V1_HealthResponse {
        try await client.call("xinyu.host.v1.Host/Health", Xinyu_Host_V1_HealthRequest(), as: Xinyu_Host_V1_HealthResponse.self)
    }

    func status(_ client: XinyuClient) async throws -> Xinyu_Host_V1_StatusResponse {
        try await client.call("xinyu.host.v1.Host/Status", Xinyu_Host_V1_StatusRequest(), as: Xinyu_Host_V1_StatusResponse.self)
    }

    @Test("full: RESOURCE_EXHAUSTED, Health degraded 'storage: full since …', Status storage full, reads served; a write succeeding clears it")
    func fullDiskIsShownAndClears() async throws {
        let host = try await RunningHost(plugins: ["probe"])
        let client = try await host.client()
        let first = try await share(client, key: "share-0")
        #expect(try await health(client).status == "serving")
        #expect(try await status(client).storage.state == "ok")

        try await limit(client, full: true)
        // Free pages left in the file may take a write or two; the disk is full within a few.
        var refused: RPCError?
        for attempt in 1...30 where refused == nil {
            do { _ = try await share(client, key: "share-full-\(attempt)") } catch let error as RPCError { refused = error }
        }
        let error = try #require(refused, "no write was refused although the database may not grow")
        #expect(error.code == .resourceExhausted, "\(error.code): \(error.message)")
        let databasePath = try await status(client).databasePath
        #expect(error.message.contains(databasePath))

        let whileFull = try await health(client)
        #expect(whileFull.status == "degraded")
        #expect(whileFull.notReady.contains { $0.hasPrefix("storage: full since") && $0.contains(databasePath) }, "\(whileFull.notReady)")
        let storage = try await status(client).storage
        #expect(storage.state == "full")
        #expect(storage.database == databasePath)
        #expect(storage.reportedBy == "probe")
        #expect(storage.fullSinceMs > 0 && storage.refusedWrites >= 1)

        // Reads are served while it is full.
        var read = Xinyu_Fixture_V1_ReadSharedRequest()
        read.shareID = first
        #expect(try await client.call("xinyu.fixture.v1.Probe/ReadShared", read, as: Xinyu_Fixture_V1_ReadSharedReply.self).studentID == "S2024-0113")

        // Space returns: the first write that succeeds clears the condition.
        try await limit(client, full: false)
        _ = try await share(client, key: "share-after")
        #expect(try await status(client).storage.state == "ok")
        let cleared = try await health(client)
        #expect(cleared.status == "serving", "\(cleared.notReady)")
        #expect(host.log.contains("storage writable again"))
        _ = try await host.stop()
    }
}
