import Logging
import NIOCore
import NIOPosix
import SwiftProtobuf
import XinyuRPC
import XinyuWire

/// A connection to a Xinyu host for Swift programs: typed unary and streaming calls.
///
/// ```swift
/// let client = try await XinyuClient.connect(to: .unix(path: "var/run/xinyu.sock"))
/// let schools = try await client.closing { client in
///     try await client.call("xinyu.directory.v1.Directory/ListSchools",
///                           Xinyu_Directory_V1_ListSchoolsRequest(),
///                           as: Xinyu_Directory_V1_ListSchoolsResponse.self)
/// }
/// ```
/// Failed calls throw ``RPCError`` with the host's status code and message. Many calls may
/// run at once on one client; it is safe to share between tasks.
public final class XinyuClient: Sendable {
    /// The underlying protocol connection.
    public let connection: RPCConnection
    private let group: EventLoopGroup?

    private init(connection: RPCConnection, group: EventLoopGroup?) {
        self.connection = connection
        self.group = group
    }

    /// Connects and completes the handshake.
    /// - Parameters:
    ///   - token: an API token, for TCP connections to a host that requires one.
    ///   - tls: TLS settings for a host that listens with TLS: the CA to trust for the host and,
    ///     where the host requires one, this agency's client certificate and key.
    ///   - group: an event loop group to share; by default the client makes its own.
    public static func connect(
        to address: PeerAddress, name: String = "xinyu-client", token: String? = nil, tls: TLSClientSettings? = nil,
        maxFrameBytes: UInt32 = WireProtocol.defaultMaxFrameBytes, group: EventLoopGroup? = nil
    ) async throws -> XinyuClient {
        let ownGroup = group == nil ? MultiThreadedEventLoopGroup(numberOfThreads: 1) : nil
        var configuration = ConnectionConfiguration(name: name)
        configuration.maxFrameBytes = maxFrameBytes
        var credentials: Xinyu_Wire_V1_Credentials? = nil
        if let token {
            var c = Xinyu_Wire_V1_Credentials()
            c.bearerToken = token
            credentials = c
        }
        do {
            let connection = try await RPCConnector.connect(
                to: address, group: group ?? ownGroup!, configuration: configuration, credentials: credentials,
                tls: tls, delegate: ClientDelegate(), logger: Logger(label: "xinyu.client"))
            return XinyuClient(connection: connection, group: ownGroup)
        } catch {
            try? await ownGroup?.shutdownGracefully()
            throw error
        }
    }

    /// Who the host says this client is.
    public var principal: Xinyu_Wire_V1_Principal { connection.peerPrincipal }

    /// Makes a unary call with typed messages.
    public func call<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: String, _ request: Request, as response: Response.Type, options: CallOptions = CallOptions()
    ) async throws -> Response {
        let bytes = try await callRaw(method, request: try request.serializedBytes(), options: options)
        do {
            return try Response(serializedBytes: bytes)
        } catch {
            throw RPCError(.internal, "\(method) answered with bytes that are not a \(Response.protoMessageName)")
        }
    }

    /// Makes a unary call with encoded request and response bytes.
    public func callRaw(_ method: String, request: [UInt8], options: CallOptions = CallOptions()) async throws -> [UInt8] {
        let response = try await connection.unary(options.callStart(method: method), payload: ByteBuffer(bytes: request))
        return Array(response.readableBytesView)
    }

    /// Makes a server-streaming call; the stream throws the call's error, if any, at its end.
    public func stream<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: String, _ request: Request, as response: Response.Type, options: CallOptions = CallOptions()
    ) throws -> AsyncThrowingStream<Response, Error> {
        let raw = streamRaw(method, request: try request.serializedBytes(), options: options)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await bytes in raw {
                        continuation.yield(try Response(serializedBytes: bytes))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Makes a server-streaming call with encoded bytes.
    public func streamRaw(_ method: String, request: [UInt8], options: CallOptions = CallOptions()) -> AsyncThrowingStream<[UInt8], Error> {
        let raw = connection.serverStreaming(options.callStart(method: method), payload: ByteBuffer(bytes: request))
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await buffer in raw { continuation.yield(Array(buffer.readableBytesView)) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Runs `body` with this client, then closes it (awaited) whichever way `body` ends.
    ///
    /// Prefer it to `defer { Task { await client.close() } }`: that close runs in a task nobody
    /// waits for, so a program may exit (or a test end) with the connection and its threads open.
    public func closing<Result>(_ body: (XinyuClient) async throws -> Result) async throws -> Result {
        let result: Result
        do {
            result = try await body(self)
        } catch {
            await close()
            throw error
        }
        await close()
        return result
    }

    /// Closes the connection (calls in flight end with UNAVAILABLE) and releases its threads.
    public func close() async {
        connection.close(reason: "client closed the connection")
        try? await connection.closeFuture.get()
        try? await group?.shutdownGracefully()
    }
}

/// Clients serve no calls; the defaults answer UNIMPLEMENTED.
private final class ClientDelegate: RPCConnectionDelegate {}
