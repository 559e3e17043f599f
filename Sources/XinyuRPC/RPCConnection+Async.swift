import NIOConcurrencyHelpers
import NIOCore
import XinyuWire

extension RPCConnection {
    /// Makes a unary call and returns the response bytes, or throws the call's ``RPCError``.
    /// Cancelling the task cancels the call on the wire.
    public func unary(_ start: Xinyu_Wire_V1_CallStart, payload: ByteBuffer) async throws -> ByteBuffer {
        let handleBox = NIOLockedValueBox<OutboundCallHandle?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ByteBuffer, Error>) in
                // Events arrive in order on one event loop; the box only makes that visible to Swift.
                let response = NIOLockedValueBox<ByteBuffer?>(nil)
                let handle = startCall(start, payload: payload) { event in
                    switch event {
                    case .message(let bytes):
                        response.withLockedValue { if $0 == nil { $0 = bytes } }
                    case .end(let status):
                        if let error = self.failure(of: status) {
                            continuation.resume(throwing: error)
                        } else if let bytes = response.withLockedValue({ $0 }) {
                            continuation.resume(returning: bytes)
                        } else {
                            continuation.resume(throwing: RPCError(.internal, "\(start.method) ended OK without a response message"))
                        }
                    }
                }
                handleBox.withLockedValue { $0 = handle }
            }
        } onCancel: {
            handleBox.withLockedValue { $0 }?.cancel(reason: "caller's task was cancelled")
        }
    }

    /// Makes a server-streaming call. The stream yields each response and finishes with the
    /// call's end (throwing its ``RPCError`` when not OK). Ending iteration early cancels the call.
    public func serverStreaming(_ start: Xinyu_Wire_V1_CallStart, payload: ByteBuffer) -> AsyncThrowingStream<ByteBuffer, Error> {
        AsyncThrowingStream { continuation in
            let handle = startCall(start, payload: payload) { event in
                switch event {
                case .message(let bytes): continuation.yield(bytes)
                case .end(let status):
                    if let error = self.failure(of: status) { continuation.finish(throwing: error) } else { continuation.finish() }
                }
            }
            continuation.onTermination = { termination in
                if case .cancelled = termination { handle.cancel(reason: "caller stopped reading the stream") }
            }
        }
    }
}
