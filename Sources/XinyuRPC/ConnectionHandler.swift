import Logging
import NIOCore
import XinyuWire

/// The protocol engine of one connection: handshake, call multiplexing, deadlines,
/// cancellation, keepalive and go_away. Lives on its channel's event loop.
///
/// Calls are numbered per side (opener odd, acceptor even) so both ends can start calls on
/// the same connection: clients call the host, the host calls plugins, plugins call the host.
final class ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = Frame
    typealias OutboundOut = Frame

    struct OutboundCall {
        let observer: CallObserver
        var deadlineTask: Scheduled<Void>?
    }

    struct InboundState {
        var deadlineTask: Scheduled<Void>?
        var sentMessages: Int = 0
    }

    let configuration: ConnectionConfiguration
    let role: HandshakeStateMachine.Role
    weak var connection: RPCConnection?
    let delegate: RPCConnectionDelegate
    let logger: Logger
    private let credentials: Xinyu_Wire_V1_Credentials?
    private let manifest: Xinyu_Wire_V1_PluginManifest?

    private var handshake: HandshakeStateMachine
    private(set) var agreement: HandshakeStateMachine.Agreement?
    private(set) var peerPrincipal = Xinyu_Wire_V1_Principal()
    private(set) var welcome: Xinyu_Wire_V1_Welcome?
    let established: EventLoopPromise<Void>

    private var context: ChannelHandlerContext?
    private var nextStreamID: UInt32
    private var outbound: [UInt32: OutboundCall] = [:]
    private var inbound: [UInt32: InboundState] = [:]
    private var highestInboundStreamID: UInt32 = 0
    private var peerGoingAway = false
    private var goingAway = false
    private var closeReason: String?
    private var lastRead = NIODeadline.now()
    private var keepaliveTask: Scheduled<Void>?
    private var handshakeTimeout: Scheduled<Void>?
    private var pendingFlush = false
    /// The delegate's credential check, while it runs.
    private var authentication: Task<Void, Never>?

    init(
        role: HandshakeStateMachine.Role, configuration: ConnectionConfiguration, delegate: RPCConnectionDelegate,
        credentials: Xinyu_Wire_V1_Credentials?, manifest: Xinyu_Wire_V1_PluginManifest?,
        established: EventLoopPromise<Void>, logger: Logger
    ) {
        self.role = role
        self.configuration = configuration
        self.delegate = delegate
        self.credentials = credentials
        self.manifest = manifest
        self.established = established
        self.logger = logger
        self.handshake = HandshakeStateMachine(role: role, name: configuration.name, limits: configuration.limits)
        self.nextStreamID = role == .opener ? 1 : 2
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard handshakeTimeout == nil else { return }
        connection?.recordRemoteAddress(context.channel.remoteAddress)
        let action = handshake.start(credentials: credentials, manifest: manifest)
        if role == .opener { perform(action) }
        handshakeTimeout = context.eventLoop.assumeIsolated().scheduleTask(in: configuration.handshakeTimeout) { [weak self] in
            guard let self, self.agreement == nil else { return }
            self.failConnection(RPCError(.deadlineExceeded, "handshake not completed within \(self.configuration.handshakeTimeout.nanoseconds / 1_000_000) ms"))
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        lastRead = .now()
        guard agreement != nil else {
            recordPeerCertificate(context: context)
            perform(handshake.receive(frame.envelope))
            return
        }
        switch frame.envelope.kind {
        case .callStart(let start): receiveCallStart(frame, start)
        case .message: receiveMessage(frame)
        case .end(let end): receiveEnd(frame.streamID, end)
        case .cancel(let cancel): receiveCancel(frame.streamID, cancel)
        case .ping(let ping): write(.pong(ping.opaque))
        case .pong: break
        case .goAway(let goAway): receiveGoAway(goAway)
        case .error(let error):
            closeReason = "peer closed the connection: \(StatusCode(rawValue: error.code).name): \(error.message)"
            context.close(promise: nil)
        case .hello, .welcome, .none:
            failConnection(RPCError(.failedPrecondition, "protocol error: unexpected \(frame.kindName) frame after the handshake"))
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let frameError = error as? FrameError {
            failConnection(RPCError(frameError.statusCode, frameError.description))
        } else if agreement == nil, TLSHandshakeFailure.isTLSError(error) {
            // The TLS handler closes the channel itself; say why in words a person can act on.
            // A refused agency certificate is an audit event, hence notice rather than debug.
            let reason = TLSHandshakeFailure.describe(error)
            closeReason = closeReason ?? reason
            logger.notice("TLS handshake failed", metadata: ["remote": "\(connection?.remoteAddressDescription ?? "-")", "reason": "\(reason)"])
            context.close(promise: nil)
        } else {
            closeReason = closeReason ?? "connection error: \(error)"
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let reason = closeReason ?? "connection closed by peer"
        logger.debug("connection closed", metadata: ["peer": "\(agreement?.peerName ?? "-")", "reason": "\(reason)", "in_flight": "\(inbound.count + outbound.count)"])
        handshakeTimeout?.cancel()
        keepaliveTask?.cancel()
        authentication?.cancel()
        if agreement == nil {
            established.fail(RPCError(.unavailable, reason))
        }
        let calls = outbound
        outbound.removeAll()
        for (_, call) in calls {
            call.deadlineTask?.cancel()
            call.observer(.end(CallStatus(code: .unavailable, message: reason)))
        }
        let served = inbound
        inbound.removeAll()
        if let connection {
            for (id, state) in served {
                state.deadlineTask?.cancel()
                delegate.callAbandoned(streamID: id, on: connection, because: CallStatus(code: .unavailable, message: reason))
            }
            delegate.connectionClosed(connection, reason: reason)
        }
        self.context = nil
        context.fireChannelInactive()
    }

    // MARK: Handshake

    private func perform(_ action: HandshakeStateMachine.Action) {
        switch action {
        case .send(let envelope):
            if envelope.kind != nil { write(Frame(envelope)); flushIfNeeded() }
        case .authenticate(let hello):
            guard let connection, let context else { return }
            let loop = context.eventLoop
            let delegate = self.delegate
            let bound = NIOLoopBound(self, eventLoop: loop)
            // The one place a connection waits on async work: credential checks may hit the
            // database. The result hops back to the event loop before touching state.
            // Cancelled in channelInactive: a peer that hangs up mid-check frees it at once.
            authentication = Task {
                let result = await delegate.authenticate(hello: hello, connection: connection)
                loop.execute {
                    let handler = bound.value
                    switch result {
                    case .success(let principal):
                        handler.peerPrincipal = principal
                        let keepaliveMs = UInt32(handler.configuration.keepaliveInterval.nanoseconds / 1_000_000)
                        handler.perform(handler.handshake.accept(principal: principal, keepaliveIntervalMs: keepaliveMs))
                    case .failure(let error):
                        handler.perform(handler.handshake.reject(error))
                    }
                }
            }
        case .sendAndEstablish(let envelope, let agreement):
            write(Frame(envelope))
            flushIfNeeded()
            becomeEstablished(agreement)
        case .establish(let agreement, let welcome):
            self.welcome = welcome
            self.peerPrincipal = welcome.principal
            becomeEstablished(agreement)
        case .fail(let error):
            failConnection(error)
        case .closeRefused(let error):
            closeReason = "refused by peer: \(error.code.name): \(error.message)"
            established.fail(error)
            context?.close(promise: nil)
        }
    }

    private func becomeEstablished(_ agreement: HandshakeStateMachine.Agreement) {
        self.agreement = agreement
        handshakeTimeout?.cancel()
        startKeepalive()
        connection?.recordEstablished(agreement: agreement, principal: peerPrincipal, welcome: welcome)
        established.succeed(())
        if let connection { delegate.connectionEstablished(connection) }
    }

    private func startKeepalive() {
        guard let context else { return }
        let interval = configuration.keepaliveInterval
        keepaliveTask = context.eventLoop.assumeIsolated().scheduleTask(in: interval) { [weak self] in
            guard let self, self.context != nil else { return }
            let silent = NIODeadline.now() - self.lastRead
            if silent >= self.configuration.keepaliveTimeout {
                self.failConnection(RPCError(.unavailable, "peer stopped answering pings for \(silent.nanoseconds / 1_000_000) ms"))
                return
            }
            if silent >= interval {
                self.write(.ping(UInt64(NIODeadline.now().uptimeNanoseconds)))
                self.flushIfNeeded()
            }
            self.startKeepalive()
        }
    }

    // MARK: Calls this side serves

    private func receiveCallStart(_ frame: Frame, _ start: Xinyu_Wire_V1_CallStart) {
        let id = frame.streamID
        let peerParity: UInt32 = role == .opener ? 0 : 1
        guard id != 0, id % 2 == peerParity, inbound[id] == nil else {
            failConnection(RPCError(.invalidArgument, "protocol error: stream id \(id) is not valid for a new call from this peer"))
            return
        }
        guard !goingAway else {
            write(.end(stream: id, code: .unavailable, message: "\(configuration.name) is shutting down; retry on a new connection"))
            return
        }
        guard inbound.count < Int(configuration.maxConcurrentStreams) else {
            write(.end(stream: id, code: .resourceExhausted, message: "too many calls in flight on this connection (limit \(configuration.maxConcurrentStreams)); wait for some to finish"))
            return
        }
        highestInboundStreamID = max(highestInboundStreamID, id)
        var state = InboundState()
        var deadline: NIODeadline? = nil
        if start.timeoutMicros > 0, let context {
            let timeout = TimeAmount.microseconds(Int64(clamping: start.timeoutMicros))
            deadline = .now() + timeout
            state.deadlineTask = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
                self?.abandonInbound(id, CallStatus(code: .deadlineExceeded, message: "deadline of \(start.timeoutMicros / 1000) ms passed before \(start.method) finished"), answer: true)
            }
        }
        inbound[id] = state
        guard let connection else { return }
        delegate.callStarted(InboundCall(streamID: id, start: start, payload: frame.payload, deadline: deadline, connection: connection))
    }

    private func receiveCancel(_ id: UInt32, _ cancel: Xinyu_Wire_V1_Cancel) {
        let reason = cancel.reason.isEmpty ? "cancelled by the caller" : "cancelled by the caller: \(cancel.reason)"
        abandonInbound(id, CallStatus(code: .cancelled, message: reason), answer: true)
    }

    private func abandonInbound(_ id: UInt32, _ status: CallStatus, answer: Bool) {
        guard let state = inbound.removeValue(forKey: id) else { return }
        state.deadlineTask?.cancel()
        if answer {
            write(.end(stream: id, code: status.code, message: status.message))
            flushIfNeeded()
        }
        if let connection { delegate.callAbandoned(streamID: id, on: connection, because: status) }
        finishGoAwayIfDrained()
    }

    /// Sends one response message for a call this side serves.
    func sendMessage(_ id: UInt32, _ payload: ByteBuffer) {
        guard inbound[id] != nil else { return }
        if let agreement, payload.readableBytes + 16 > Int(agreement.peerMaxFrameBytes) {
            endInbound(id, CallStatus(code: .resourceExhausted, message: "response of \(payload.readableBytes) bytes exceeds the caller's frame limit of \(agreement.peerMaxFrameBytes) bytes"))
            return
        }
        inbound[id]?.sentMessages += 1
        write(.message(stream: id, payload: payload))
        scheduleFlush()
    }

    /// Ends a call this side serves.
    func endInbound(_ id: UInt32, _ status: CallStatus) {
        guard let state = inbound.removeValue(forKey: id) else { return }
        state.deadlineTask?.cancel()
        write(.end(stream: id, code: status.code, message: status.message, trailers: status.trailers))
        scheduleFlush()
        finishGoAwayIfDrained()
    }

    // MARK: Calls this side starts

    /// Starts a call; the observer hears every event. Returns the stream id, or nil if the
    /// call failed at once (the observer has then already heard its end).
    @discardableResult
    func startCall(_ start: Xinyu_Wire_V1_CallStart, payload: ByteBuffer, observer: @escaping CallObserver) -> UInt32? {
        guard let agreement, context != nil else {
            observer(.end(CallStatus(code: .unavailable, message: closeReason ?? "connection is not ready")))
            return nil
        }
        guard !peerGoingAway, !goingAway else {
            observer(.end(CallStatus(code: .unavailable, message: "\(agreement.peerName) is shutting down this connection; retry")))
            return nil
        }
        guard payload.readableBytes + start.method.utf8.count + 64 <= Int(agreement.peerMaxFrameBytes) else {
            observer(.end(CallStatus(code: .resourceExhausted, message: "request of \(payload.readableBytes) bytes exceeds the peer's frame limit of \(agreement.peerMaxFrameBytes) bytes")))
            return nil
        }
        let id = nextStreamID
        nextStreamID &+= 2
        var call = OutboundCall(observer: observer)
        if start.timeoutMicros > 0, let context {
            let timeout = TimeAmount.microseconds(Int64(clamping: start.timeoutMicros))
            call.deadlineTask = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
                self?.abandonOutbound(id, CallStatus(code: .deadlineExceeded, message: "deadline of \(start.timeoutMicros / 1000) ms passed waiting for \(start.method)"))
            }
        }
        outbound[id] = call
        write(.callStart(stream: id, start: start, payload: payload))
        scheduleFlush()
        return id
    }

    /// Gives up on a call this side started: tells the peer and ends it locally.
    func cancelOutbound(_ id: UInt32, reason: String) {
        abandonOutbound(id, CallStatus(code: .cancelled, message: reason.isEmpty ? "cancelled" : reason))
    }

    private func abandonOutbound(_ id: UInt32, _ status: CallStatus) {
        guard let call = outbound.removeValue(forKey: id) else { return }
        call.deadlineTask?.cancel()
        write(.cancel(stream: id, reason: status.message))
        scheduleFlush()
        call.observer(.end(status))
    }

    private func receiveMessage(_ frame: Frame) {
        // A message for a call already abandoned here (cancelled, deadline) is dropped.
        guard let call = outbound[frame.streamID] else { return }
        call.observer(.message(frame.payload))
    }

    private func receiveEnd(_ id: UInt32, _ end: Xinyu_Wire_V1_CallEnd) {
        guard let call = outbound.removeValue(forKey: id) else { return }
        call.deadlineTask?.cancel()
        call.observer(.end(CallStatus(code: StatusCode(rawValue: end.code), message: end.message, trailers: end.trailers)))
    }

    // MARK: Closing

    private func receiveGoAway(_ goAway: Xinyu_Wire_V1_GoAway) {
        peerGoingAway = true
        if let connection { delegate.peerGoingAway(connection, reason: goAway.reason) }
    }

    /// Stops taking new calls, tells the peer, and closes once in-flight calls are answered
    /// (or the caller's own drain deadline closes it first).
    func goAway(reason: String) {
        guard !goingAway else { return }
        goingAway = true
        logger.debug("go_away", metadata: ["inbound": "\(inbound.keys.sorted())", "outbound": "\(outbound.keys.sorted())", "peer": "\(agreement?.peerName ?? "-")"])
        write(.goAway(lastStreamID: highestInboundStreamID, reason: reason))
        flushIfNeeded()
        finishGoAwayIfDrained()
    }

    private func finishGoAwayIfDrained() {
        guard goingAway, inbound.isEmpty, outbound.isEmpty else { return }
        closeReason = closeReason ?? "closed after go_away"
        // Answers written just now must go out before the close, or the peer never sees them.
        flushIfNeeded()
        context?.close(promise: nil)
    }

    /// Sends an error frame and closes: the path for every connection-level failure.
    func failConnection(_ error: RPCError) {
        guard let context else { return }
        closeReason = closeReason ?? "\(error.code.name): \(error.message)"
        logger.debug("closing connection", metadata: ["reason": "\(error.message)"])
        if agreement == nil { established.fail(error) }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.connectionError(error))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    /// Closes now; in-flight calls end with UNAVAILABLE and this reason.
    func close(reason: String) {
        closeReason = closeReason ?? reason
        flushIfNeeded()
        context?.close(promise: nil)
    }

    var inFlightCount: Int { inbound.count + outbound.count }

    // MARK: Writing

    private func write(_ frame: Frame) {
        guard let context else { return }
        context.write(wrapOutboundOut(frame), promise: nil)
        pendingFlush = true
    }

    private func flushIfNeeded() {
        guard pendingFlush, let context else { return }
        pendingFlush = false
        context.flush()
    }

    /// Flushes at the end of this event-loop tick so that answers produced together go out in
    /// one system call.
    private func scheduleFlush() {
        guard let context else { return }
        if !pendingFlushScheduled {
            pendingFlushScheduled = true
            context.eventLoop.assumeIsolated().execute { [weak self] in
                guard let self else { return }
                self.pendingFlushScheduled = false
                self.flushIfNeeded()
            }
        }
    }

    private var pendingFlushScheduled = false
}
