import BenchHarness
import Foundation
import Logging
import NIOCore
import SwiftProtobuf
import XinyuCrisis
import XinyuPluginSDK
import XinyuRPC
import XinyuStore
import XinyuWire

/// The crisis plugin's own handlers called in-process through the SDK's dispatcher: the same
/// decoding, permission check, handler and store as in the plugin, but no socket, no framing,
/// no host, no routing.
struct DirectTarget: Sendable {
    let dispatcher: ServiceDispatcher

    /// Serves the crisis plugin over `database` (already migrated by the running plugin).
    init(database: SharedDatabase) {
        var registry = ServiceRegistry()
        CrisisPlugin().register(&registry)
        dispatcher = ServiceDispatcher(owner: "crisis", registry: registry, database: database, caller: NoOtherServices(), logger: Logger(label: "bench.direct"))
    }

    static let principal = Principal(id: "operator", kind: .operator, displayName: "bench", roles: ["operator"], permissions: ["*"])

    /// One call; throws unless it ended OK.
    func call<R: SwiftProtobuf.Message>(_ method: String, _ request: R) async throws {
        var start = Xinyu_Wire_V1_CallStart()
        start.method = method
        let bytes: [UInt8] = try request.serializedBytes()
        let status = await dispatcher.dispatch(
            method: method, request: ByteBuffer(bytes: bytes), start: start,
            principal: Self.principal, deadline: nil, send: { _ in })
        guard status.code == StatusCode.ok else { throw BenchError("\(method): \(status.code) \(status.message)") }
    }

    func run<R: SwiftProtobuf.Message>(_ method: String, _ c: Concurrency, _ d: Double, _ w: Double, request: @escaping @Sendable (Int, Int) -> R) async throws -> LatencyStats {
        try await LoadRunner.run(
            connections: c.connections, inFlight: c.inFlight, duration: d, warmup: w,
            connect: { self }, call: { target, slot, n in try await target.call(method, request(slot, n)) }, close: { _ in })
    }
}

/// The crisis plugin calls no other service in these workloads.
struct NoOtherServices: MethodCaller {
    func unary(method: String, request: ByteBuffer, options: CallOptions) async throws -> ByteBuffer {
        throw RPCError(.unavailable, "the benchmark's direct target has no other services")
    }
}
