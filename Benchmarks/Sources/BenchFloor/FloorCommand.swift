import ArgumentParser
import NIOCore
import NIOPosix
import XinyuWire

/// The floor baseline: Xinyu frames (1-byte flags, 4-byte length, envelope) decoded with
/// XinyuWire's codec and written straight back. No handshake, no routing, no work: what is left
/// of a round trip when everything Xinyu adds is taken away.
@main
struct BenchFloor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-floor", abstract: "Echo Xinyu frames back (benchmark floor).")

    @Option(help: "Unix socket path to listen on.") var unix: String?
    @Option(help: "TCP port on 127.0.0.1 to listen on (0 = any).") var port: Int?
    @Option(help: "Event loop threads.") var threads = 1

    func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(FrameEncoder()))
                    try channel.pipeline.syncOperations.addHandler(EchoHandler())
                }
            }
        let channel: Channel
        if let unix {
            channel = try await bootstrap.bind(unixDomainSocketPath: unix, cleanupExistingSocketFile: true).get()
        } else {
            channel = try await bootstrap.bind(host: "127.0.0.1", port: port ?? 0).get()
        }
        // The driver waits for this line before it connects.
        print("listening: \(channel.localAddress.map { "\($0)" } ?? "?")")
        fflush(nil)
        try await channel.closeFuture.get()
    }
}

/// Writes every decoded frame back; flushes once per read burst, like the host does.
final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = Frame
    typealias OutboundOut = Frame

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }
}
