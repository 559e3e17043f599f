import BenchAPI
import BenchHarness
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import NIOCore
import NIOPosix
import SwiftProtobuf
import XinyuClient
import XinyuStore
import XinyuWire

/// The method names the workloads call on the host (served by the crisis plugin).
enum CrisisMethods {
    static let getWarningLevel = "xinyu.crisis.v1.Crisis/GetWarningLevel"
    static let recordFollowUp = "xinyu.crisis.v1.Crisis/RecordFollowUp"
    static let submitScreeningBatch = "xinyu.crisis.v1.Crisis/SubmitScreeningBatch"
    static let getStatistics = "xinyu.crisis.v1.Crisis/GetStatistics"
}

/// Request keys drawn the same way for every target, so they all read the same rows.
struct Keys: Sendable {
    let shape: CityShape
    let openCases: [Int64]

    /// A student for call `n` of slot `slot`: spread over the whole city, not a hot set.
    func student(_ slot: Int, _ n: Int) -> String {
        var x = UInt64(truncatingIfNeeded: slot &* 1_000_003 &+ n &* 7919)
        x = (x ^ (x >> 33)) &* 0xff51afd7ed558ccd
        x ^= x >> 33
        return CityShape.studentID(Int(x % UInt64(shape.students)))
    }

    func levelRequest(_ slot: Int, _ n: Int) -> Bench_V1_GetWarningLevelRequest {
        var r = Bench_V1_GetWarningLevelRequest()
        r.studentID = student(slot, n)
        return r
    }

    func followUpRequest(_ slot: Int, _ n: Int) -> Bench_V1_RecordFollowUpRequest {
        var r = Bench_V1_RecordFollowUpRequest()
        r.caseID = String(openCases[(slot &* 31 &+ n) % max(openCases.count, 1)])
        r.heldOn = "2024-10-08"
        r.summary = "checked in with the student; calmer this week"
        return r
    }
}

/// One concurrency setting: C connections × M calls in flight.
struct Concurrency: Sendable, CustomStringConvertible {
    let connections: Int
    let inFlight: Int
    var description: String { "\(connections)×\(inFlight)" }
}

/// Load against the host over the Xinyu protocol. The request messages are bench.proto's,
/// which have the crisis messages' field numbers, so the bytes are the same.
struct HostTarget: Sendable {
    let socketPath: String
    let token: String
    let group: EventLoopGroup

    func run<R: SwiftProtobuf.Message>(_ method: String, _ c: Concurrency, _ d: Double, _ w: Double, request: @escaping @Sendable (Int, Int) -> R) async throws -> LatencyStats {
        try await LoadRunner.run(
            connections: c.connections, inFlight: c.inFlight, duration: d, warmup: w,
            connect: { try await BenchAuth.workloadClient(socketPath: socketPath, token: token, group: group) },
            call: { client, slot, n in
                _ = try await client.callRaw(method, request: try request(slot, n).serializedBytes())
            },
            close: { await $0.close() })
    }
}

/// Load against the floor: the same call_start frame a W1 call sends, echoed back.
struct FloorTarget: Sendable {
    let socketPath: String
    let group: EventLoopGroup

    func run(_ c: Concurrency, _ d: Double, _ w: Double, keys: Keys) async throws -> LatencyStats {
        try await LoadRunner.run(
            connections: c.connections, inFlight: c.inFlight, duration: d, warmup: w,
            connect: { try await FloorConnection.connect(unixPath: socketPath, group: group) },
            call: { connection, slot, n in
                var start = Xinyu_Wire_V1_CallStart()
                start.method = CrisisMethods.getWarningLevel
                let bytes: [UInt8] = try keys.levelRequest(slot, n).serializedBytes()
                let payload = ByteBuffer(bytes: bytes)
                try await connection.roundTrip(.callStart(stream: UInt32(2 * n + 1), start: start, payload: payload))
            },
            close: { await $0.close() })
    }
}

/// Load against the grpc-swift-2 peer: one HTTP/2 connection per client.
struct PeerTarget: Sendable {
    let socketPath: String

    final class Connection: Sendable {
        let client: GRPCClient<HTTP2ClientTransport.Posix>
        let running: Task<Void, Error>
        var bench: Bench_V1_Bench.Client<HTTP2ClientTransport.Posix> { Bench_V1_Bench.Client(wrapping: client) }

        init(socketPath: String) throws {
            let client = GRPCClient(transport: try .http2NIOPosix(target: .unixDomainSocket(path: socketPath), transportSecurity: .plaintext))
            self.client = client
            // The client's connections run until it is shut down in `close`, which awaits this task.
            running = Task { try await client.runConnections() }
        }

        func close() async {
            client.beginGracefulShutdown()
            _ = try? await running.value
        }
    }

    func run(_ c: Concurrency, _ d: Double, _ w: Double, call: @escaping @Sendable (Bench_V1_Bench.Client<HTTP2ClientTransport.Posix>, Int, Int) async throws -> Void) async throws -> LatencyStats {
        try await LoadRunner.run(
            connections: c.connections, inFlight: c.inFlight, duration: d, warmup: w,
            connect: { try Connection(socketPath: socketPath) },
            call: { connection, slot, n in try await call(connection.bench, slot, n) },
            close: { await $0.close() })
    }
}

