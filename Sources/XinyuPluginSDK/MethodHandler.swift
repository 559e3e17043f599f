import NIOPosix
import NIOCore
import SwiftProtobuf
import XinyuWire

/// One registered method: its descriptor and the type-erased code that serves it.
///
/// The erased form takes and produces bytes so that the same handler runs behind a socket
/// (in a plugin process) or in-process (the host's own services).
public struct MethodHandler: Sendable {
    /// What the manifest says about the method.
    public let descriptor: Xinyu_Wire_V1_MethodDescriptor
    /// The fully qualified name, "package.Service/Method".
    public let fullName: String
    /// Where the plugin runs the handler.
    public let placement: HandlerPlacement
    /// Decodes the request, runs the handler and sends each response through the sink.
    public let invoke: @Sendable (ByteBuffer, CallContext, ResponseSink) async throws -> Void
    /// The response message type: a unary mutating call whose write returns a value of this type
    /// records that value as its idempotent answer in the write's own transaction.
    public let responseType: any SwiftProtobuf.Message.Type
    /// Rewrites each encoded reply for the caller before it leaves (replays of idempotent answers
    /// included); nil for a service without a ``ReplyFilter``.
    public internal(set) var replyFilter: (@Sendable (ByteBuffer, Principal) -> ByteBuffer)? = nil
}

/// Where a plugin runs a method's handler. The host and the caller see no difference; it is a
/// latency and CPU trade-off inside the plugin.
public enum HandlerPlacement: Sendable, Equatable {
    /// On Swift's global task pool: right for every handler, and the only right place for one
    /// that can run long (statistics, exports, imports, list pages over many rows).
    case taskPool
    /// On the event loop of the connection the call arrived on, started in the same tick it
    /// was read: no thread wake-up to start the handler or to send its answer. Only for
    /// handlers whose synchronous work is short and bounded (a point read, a single-row
    /// write, which then waits for its commit without holding the loop): while such a handler
    /// runs, no other call on the connection is read or answered. When a few such calls
    /// already wait for the loop (a burst), the next ones run on the task pool instead, so a
    /// burst still uses every core.
    case eventLoop

    /// Where the calling code runs now: `.eventLoop` on one of the plugin's event-loop threads,
    /// `.taskPool` anywhere else. For tests and diagnostics; handlers need not care.
    public static var current: HandlerPlacement {
        MultiThreadedEventLoopGroup.currentEventLoop != nil ? .eventLoop : .taskPool
    }
}

/// Where a handler's responses go: one for unary methods, any number for streaming ones.
public struct ResponseSink: Sendable {
    private let deliver: @Sendable (ByteBuffer) -> Void

    /// Creates a sink that hands each encoded response to `deliver`.
    public init(_ deliver: @escaping @Sendable (ByteBuffer) -> Void) { self.deliver = deliver }

    /// Sends one encoded response.
    public func send(_ bytes: ByteBuffer) { deliver(bytes) }

    /// Encodes and sends one response message.
    public func send<M: SwiftProtobuf.Message>(_ message: M) throws {
        deliver(try ProtobufCoding.encode(message))
    }
}

/// Protobuf to and from `ByteBuffer`, with errors that name the message type.
public enum ProtobufCoding {
    /// Decodes a request; a failure is INVALID_ARGUMENT naming the expected type and, in words,
    /// what is wrong with the bytes (see ``ProtobufDecodeProblem``).
    public static func decode<M: SwiftProtobuf.Message>(_ type: M.Type, from buffer: ByteBuffer) throws -> M {
        let bytes = Array(buffer.readableBytesView)
        do {
            return try M(serializedBytes: bytes)
        } catch {
            let problem = ProtobufDecodeProblem.describe(bytes, as: M.self, error: error)
            throw RPCError(.invalidArgument, "the request is not a valid \(M.protoMessageName): \(problem)")
        }
    }

    /// Encodes a message.
    public static func encode<M: SwiftProtobuf.Message>(_ message: M) throws -> ByteBuffer {
        let bytes: [UInt8] = try message.serializedBytes()
        return ByteBuffer(bytes: bytes)
    }
}

/// A streaming handler's way to send responses one by one.
public struct ResponseStream<Response: SwiftProtobuf.Message>: Sendable {
    let sink: ResponseSink
    /// Sends one response now.
    public func send(_ response: Response) throws { try sink.send(response) }
}
