import Foundation
import NIOCore
import Testing
import XinyuRPC
import XinyuWire

@Suite("Authentication ends with its connection")
struct AuthenticationCancelTests {
    /// An acceptor whose credential check takes a minute unless cancelled (a throttled peer).
    final class SlowAcceptor: RPCConnectionDelegate {
        let ended: AsyncStream<Bool>.Continuation
        init(ended: AsyncStream<Bool>.Continuation) { self.ended = ended }

        func authenticate(hello: Xinyu_Wire_V1_Hello, connection: RPCConnection) async -> Result<Xinyu_Wire_V1_Principal, RPCError> {
            try? await Task.sleep(for: .seconds(60))
            ended.yield(Task.isCancelled)
            return .failure(RPCError(.unauthenticated, "too slow"))
        }
    }

    @Test("a peer that hangs up during authentication cancels the check")
    func hangUpCancelsAuthentication() async throws {
        let loopback = try Loopback()
        let (ended, report) = AsyncStream.makeStream(of: Bool.self)
        let listener = try await loopback.listen("a.sock") { _ in SlowAcceptor(ended: report) }
        // The opener gives up on the handshake after 100 ms and closes its end.
        var impatient = ConnectionConfiguration(name: "impatient")
        impatient.handshakeTimeout = .milliseconds(100)
        await #expect(throws: RPCError.self) { try await loopback.connect(listener, configuration: impatient) }
        let cancelled = await first(of: ended, within: .seconds(15))
        #expect(cancelled == true, "the credential check went on after its connection closed")
        await listener.close()
        await loopback.shutdown()
    }
}
