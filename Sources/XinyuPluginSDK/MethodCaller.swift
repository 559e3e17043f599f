import NIOCore
import XinyuRPC

/// Calls another service's method through the host, as the calling plugin.
///
/// Plugins reach each other only through the host, which checks the plugin's own permissions
/// and routes the call, exactly as it does for outside clients.
public protocol MethodCaller: Sendable {
    /// Makes a unary call and returns the response bytes or throws its ``RPCError``.
    func unary(method: String, request: ByteBuffer, options: CallOptions) async throws -> ByteBuffer
}
