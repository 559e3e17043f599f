import NIOCore
import XinyuPluginSDK
import XinyuRPC
import XinyuWire

/// Lets the host's own services call plugin methods. Not used by the built-in services yet
/// (directory and status call nobody); calls fail clearly rather than silently.
struct RoutedCaller: MethodCaller {
    let router: RouterBox

    func unary(method: String, request: ByteBuffer, options: CallOptions) async throws -> ByteBuffer {
        throw RPCError(.unimplemented, "host services do not call plugins (\(method))")
    }
}
