import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Blocking POSIX sockets for tests that must speak below the client library: an HTTP/1.1
/// GET to the metrics endpoint, and raw bytes to the protocol socket (a client trickling its
/// hello). Each call has its own receive timeout: nothing here can hang a test.
///
/// The blocking calls run on a thread of their own (``offPool(_:)``), never on a thread of
/// Swift's concurrency pool: that pool has one thread per core, and a test blocking one for
/// seconds would stall every other test of the parallel run.
enum PlainSockets {
    /// Runs blocking socket work on a new thread and awaits its result.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// `GET path` on 127.0.0.1:`port`, off the concurrency pool.
    static func get(port: Int, path: String, method: String = "GET") async throws -> HTTPAnswer {
        try await offPool { try getBlocking(port: port, path: path, method: method) }
    }

    struct HTTPAnswer {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    /// `GET path` on 127.0.0.1:`port`; the whole answer (the endpoint closes after one).
    static func getBlocking(port: Int, path: String, method: String) throws -> HTTPAnswer {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket: errno \(errno)") }
        defer { close(fd) }
        setReceiveTimeout(fd, seconds: 10)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw SocketError("connect 127.0.0.1:\(port): errno \(errno)") }
        try write(fd, Array("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
        let text = String(decoding: readToEnd(fd), as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw SocketError("no HTTP answer: \(text)") }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw SocketError("bad status line: \(lines[0])") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return HTTPAnswer(status: status, headers: headers, body: String(text[split.upperBound...]))
    }

    /// A connected Unix socket.
    static func connectUnix(_ path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in bytes.prefix(raw.count - 1).enumerated() { raw[i] = byte }
        }
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { close(fd); throw SocketError("connect \(path): errno \(errno)") }
        return fd
    }

    static func setReceiveTimeout(_ fd: Int32, seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Writes all of `bytes`; throws when the peer has closed (EPIPE) or another error.
    static func write(_ fd: Int32, _ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw SocketError("send: errno \(errno)") }
            sent += n
        }
    }

    /// Reads until the peer closes or the receive timeout passes.
    static func readToEnd(_ fd: Int32) -> [UInt8] {
        var all: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return all }
            all += chunk[0..<n]
        }
    }

    struct SocketError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

extension RunningHost {
    /// The metrics port the host printed in its ready line (`metrics http://127.0.0.1:PORT,`).
    var metricsPort: Int? {
        guard let range = stdout.range(of: "metrics http://127.0.0.1:") else { return nil }
        return Int(stdout[range.upperBound...].prefix { $0.isNumber })
    }
}
