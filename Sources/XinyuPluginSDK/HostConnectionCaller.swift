import NIOConcurrencyHelpers
import NIOCore
import XinyuWire
import XinyuRPC

/// Makes a plugin's calls to other services over its connection to the host.
final class HostConnectionCaller: MethodCaller {
    private let connection: RPCConnection

    init(connection: RPCConnection) { self.connection = connection }

    func unary(method: String, request: ByteBuffer, options: CallOptions) async throws -> ByteBuffer {
        try await connection.unary(options.callStart(method: method), payload: request)
    }
}

/// A caller that is not wired yet: used only while the connection is being set up.
final class LateBoundCaller: MethodCaller {
    private let box = NIOLockedValueBox<MethodCaller?>(nil)

    func bind(_ caller: MethodCaller) { box.withLockedValue { $0 = caller } }

    func unary(method: String, request: ByteBuffer, options: CallOptions) async throws -> ByteBuffer {
        guard let caller = box.withLockedValue({ $0 }) else {
            throw RPCError(.unavailable, "not connected to the host yet")
        }
        return try await caller.unary(method: method, request: request, options: options)
    }
}
