import Foundation
import NIOCore
import SwiftProtobuf
import Testing
import XinyuCoreAPI
import XinyuFixtureAPI
import XinyuWire
#if canImport(Glibc)
import Glibc
#endif

/// `limits.max_unread_answer_bytes` on a real host: a client that asks for answers and never
/// reads them cannot make the host hold them without bound (issue 17, memory under a flood).
@Suite("Limits: a client that does not read its answers")
struct UnreadAnswersEndToEndTests {
    @Test("streams a client never reads are cut at limits.max_unread_answer_bytes; the host serves others")
    func unreadStreamsCut() async throws {
        // Keepalive well beyond the test, so that only the unread-bytes limit can end the connection.
        let host = try await RunningHost(plugins: ["probe"], sections: "[limits]\nmax_unread_answer_bytes = 262144\n", keepaliveMs: 60_000)
        let socketPath = host.socketPath, token = host.testerToken
        let fd = try await PlainSockets.offPool { () throws -> Int32 in
            let fd = try PlainSockets.connectUnix(socketPath)
            var small: Int32 = 4096
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
            var handshake = HandshakeStateMachine(role: .opener, name: "e2e unread client", limits: Xinyu_Wire_V1_Limits.with {
                $0.maxFrameBytes = 4 << 20; $0.maxConcurrentStreams = 100
            })
            guard case .send(let hello) = handshake.start(credentials: .with { $0.bearerToken = token }) else { throw PlainSockets.SocketError("no hello") }
            try PlainSockets.write(fd, Self.bytes(Frame(hello)))
            PlainSockets.setReceiveTimeout(fd, seconds: 10)
            let welcome = try Self.readFrame(fd)
            guard case .welcome? = welcome.envelope.kind else { throw PlainSockets.SocketError("expected welcome, got \(welcome.kindName)") }
            // Sixteen streams of 10,000 answers (about 2.7 MB), then never another read.
            let request = try Xinyu_Fixture_V1_CountRequest.with { $0.upto = 10_000 }.serializedBytes() as [UInt8]
            for stream in stride(from: UInt32(1), through: 31, by: 2) {
                let start = Xinyu_Wire_V1_CallStart.with { $0.method = "xinyu.fixture.v1.Probe/CountTo" }
                try PlainSockets.write(fd, Self.bytes(.callStart(stream: stream, start: start, payload: ByteBuffer(bytes: request))))
            }
            return fd
        }
        defer { close(fd) }
        try await waitUntil("the host cuts the client that does not read", timeout: .seconds(60)) {
            host.log.contains("connection closed: client not reading")
        }
        #expect(host.log.contains("limit=262144"), "\(host.log.suffix(2000))")
        // Everyone else is still served.
        let other = try await host.client()
        _ = try await other.call("xinyu.host.v1.Host/Health", Xinyu_Host_V1_HealthRequest(), as: Xinyu_Host_V1_HealthResponse.self)
        await other.close()
    }

    static func bytes(_ frame: Frame) -> [UInt8] {
        var buffer = ByteBuffer()
        EnvelopeCodec.encode(frame, into: &buffer)
        return Array(buffer.readableBytesView)
    }

    /// Reads exactly one frame: flags (1 byte), length (4 bytes, big-endian), envelope.
    static func readFrame(_ fd: Int32) throws -> Frame {
        let header = try read(fd, count: 5)
        let length = header[1...4].reduce(0) { $0 << 8 | Int($1) }
        return try EnvelopeCodec.decode(body: ByteBuffer(bytes: try read(fd, count: length)))
    }

    static func read(_ fd: Int32, count: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: max(count, 1))
        while out.count < count {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, count - out.count, 0) }
            guard n > 0 else { throw PlainSockets.SocketError("recv: connection closed or timed out after \(out.count) of \(count) bytes") }
            out += chunk[0..<n]
        }
        return out
    }
}
