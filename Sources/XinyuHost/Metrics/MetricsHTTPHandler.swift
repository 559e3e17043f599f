import NIOCore
import NIOHTTP1

/// Answers the three paths of the metrics endpoint; anything else is 404, any method but GET
/// and HEAD is 405.
///
/// | path | answer |
/// | --- | --- |
/// | `/metrics` | 200, Prometheus text format 0.0.4 |
/// | `/healthz` | 200 `ok` while the host process serves (liveness) |
/// | `/readyz`  | 200 `ready`, or 503 with one reason a line (store, plugins) |
///
/// The answers are computed off the event loop (a scrape reads the database) and written back
/// on it; one request per connection is enough for a scraper, so every answer closes.
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Produces the answer for one request path.
    typealias Responder = @Sendable (_ path: String) async -> (status: HTTPResponseStatus, contentType: String, body: String)

    private let respond: Responder
    private var head: HTTPRequestHead?

    init(respond: @escaping Responder) {
        self.respond = respond
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break  // no path takes a body
        case .end:
            guard let head else { return }
            self.head = nil
            answer(head, context: context)
        }
    }

    private func answer(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = String(head.uri.split(separator: "?", maxSplits: 1).first ?? "")
        let isHead = head.method == .HEAD
        guard head.method == .GET || isHead else {
            return write(context: context, status: .methodNotAllowed, contentType: "text/plain; charset=utf-8",
                         body: "method \(head.method.rawValue) not allowed; use GET\n", headOnly: false, extra: [("Allow", "GET, HEAD")])
        }
        let respond = self.respond
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        Task {
            let answer = await respond(path)
            loop.execute {
                let (handler, context) = bound.value
                handler.write(context: context, status: answer.status, contentType: answer.contentType, body: answer.body, headOnly: isHead)
            }
        }
    }

    private func write(context: ChannelHandlerContext, status: HTTPResponseStatus, contentType: String, body: String,
                       headOnly: Bool, extra: [(String, String)] = []) {
        var buffer = context.channel.allocator.buffer(capacity: body.utf8.count)
        buffer.writeString(body)
        var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", "\(buffer.readableBytes)"), ("Connection", "close")])
        headers.add(contentsOf: extra)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        if !headOnly { context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil) }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
