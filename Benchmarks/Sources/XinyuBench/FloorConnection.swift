import NIOCore
import NIOPosix
import XinyuWire

/// A raw frame connection to the floor server: sends a frame, waits for it to come back.
///
/// The echo server answers in order, so the n-th frame back completes the n-th promise.
final class FloorConnection: Sendable {
    let channel: Channel

    private init(channel: Channel) { self.channel = channel }

    static func connect(unixPath: String, group: EventLoopGroup) async throws -> FloorConnection {
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(FrameEncoder()))
                    try channel.pipeline.syncOperations.addHandler(FloorClientHandler())
                }
            }
            .connect(unixDomainSocketPath: unixPath).get()
        return FloorConnection(channel: channel)
    }

    /// One round trip of `frame`.
    func roundTrip(_ frame: Frame) async throws {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        channel.writeAndFlush(FloorClientHandler.Request(frame: frame, answered: promise), promise: nil)
        try await promise.futureResult.get()
    }

    func close() async {
        try? await channel.close()
    }
}

/// Pairs echoed frames with the calls waiting for them, in order.
final class FloorClientHandler: ChannelDuplexHandler {
    typealias InboundIn = Frame
    typealias OutboundIn = Request
    typealias OutboundOut = Frame

    struct Request {
        let frame: Frame
        let answered: EventLoopPromise<Void>
    }

    private var waiting = CircularBuffer<EventLoopPromise<Void>>()

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        waiting.append(request.answered)
        context.write(wrapOutboundOut(request.frame), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        waiting.popFirst()?.succeed(())
    }

    func channelInactive(context: ChannelHandlerContext) {
        while let p = waiting.popFirst() { p.fail(ChannelError.ioOnClosedChannel) }
        context.fireChannelInactive()
    }
}
