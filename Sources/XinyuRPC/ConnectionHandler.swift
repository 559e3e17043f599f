import Logging
import NIOCore
import XinyuWire

/// The NIO glue of one connection: runs the handshake (``HandshakeStateMachine``), then feeds
/// every frame, local call, answer and timer to a ``ConnectionStateMachine`` and performs what
/// it returns (write frames, arm and cancel timers, tell the delegate and observers, close).
/// Lives on its channel's event loop; the protocol's rules are in the state machines, not here.
final class ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = Frame
    typealias OutboundOut = Frame
    typealias Machine = ConnectionStateMachine<CallObserver, Scheduled<Void>>

    let configuration: ConnectionConfiguration
    let role: HandshakeStateMachine.Role
    weak var connection: RPCConnection?
    let delegate: RPCConnectionDelegate
    let logger: Logger
    private let credentials: Xinyu_Wire_V1_Credentials?
    private let manifest: Xinyu_Wire_V1_PluginManifest?

    private var handshake: HandshakeStateMachine
    private var agreement: HandshakeStateMachine.Agreement?
    private var peerPrincipal = Xinyu_Wire_V1_Principal()
    private var welcome: Xinyu_Wire_V1_Welcome?
    let established: EventLoopPromise<Void>

    private var machine: Machine
    /// The transport failure that ends the connection, once known; calls it ends carry it as cause.
    private var closeError: RPCTransportError?
    private var context: ChannelHandlerContext?
    private var keepaliveTask: Scheduled<Void>?
    private var handshakeTimeout: Scheduled<Void>?
    private var idleCheck: Scheduled<Void>?
    /// When a call last started or ended on this connection (``ConnectionConfiguration/idleTimeout``).
    private var lastCallActivity = NIODeadline.now()
    private var pendingFlush = false
    private var pendingFlushScheduled = false
    /// The delegate's credential check, while it runs.
    private var authentication: Task<Void, Never>?
    /// Liveness pings this side sent (``RPCConnection/ping(onPong:)``), by opaque value.
    var pongWaiters: [UInt64: @Sendable () -> Void] = [:]

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
        self.machine = Machine(role: role, settings: .init(configuration), now: established.futureResult.eventLoop.now)
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
        let timeout = configuration.handshakeTimeout
        handshakeTimeout = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
            guard let self, self.agreement == nil else { return }
            self.failConnection(RPCTransportError(.handshakeFailed, .deadlineExceeded, "handshake not completed within \(timeout.nanoseconds / 1_000_000) ms"))
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard agreement != nil else {
            guard machine.closeReason == nil else { return }  // failed or refused: ignore the rest
            recordPeerCertificate(context: context)
            perform(handshake.receive(frame.envelope))
            return
        }
        perform(machine.receive(frame, now: context.eventLoop.now), frame: frame)
        if case .pong(let pong) = frame.envelope.kind, let waiter = pongWaiters.removeValue(forKey: pong.opaque) { waiter() }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let frameError = error as? FrameError {
            failConnection(RPCTransportError(frameError))
        } else if agreement == nil, TLSHandshakeFailure.isTLSError(error) {
            // The TLS handler closes the channel itself; say why in words a person can act on.
            // A refused agency certificate is an audit event, hence notice rather than debug.
            let reason = TLSHandshakeFailure.describe(error)
            machine.close(reason: reason)
            let failure = RPCTransportError(.tlsHandshakeFailed, .unavailable, machine.closeReason ?? reason)
            closeError = closeError ?? failure
            established.fail(failure)
            logger.notice("TLS handshake failed", metadata: ["remote": "\(connection?.remoteAddressDescription ?? "-")", "reason": "\(reason)"])
            context.close(promise: nil)
        } else {
            machine.close(reason: "connection error: \(error)")
            context.close(promise: nil)
        }
    }

    /// A peer that shuts down its sending side can neither answer our calls nor cancel its
    /// own: the connection closes, as it does without half-closure, and live calls end
    /// UNAVAILABLE with this reason.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed? = event as? ChannelEvent {
            machine.close(reason: "peer closed its sending side of the connection")
            flushIfNeeded()
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Reads pause while the peer is not taking what we write (the pipeline's
    /// `BackPressureHandler`); here the bytes waiting for it are bounded.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if !context.channel.isWritable { checkUnreadOutbound(context) }
        context.fireChannelWritabilityChanged()
    }

    /// Closes the connection when more than ``ConnectionConfiguration/maxUnreadOutboundBytes``
    /// wait for a peer that does not read them. Checked only while the channel is not writable,
    /// so the common path pays one flag read per write.
    private func checkUnreadOutbound(_ context: ChannelHandlerContext) {
        guard let limit = configuration.maxUnreadOutboundBytes, machine.closeReason == nil,
              let buffered = try? context.channel.syncOptions?.getOption(ChannelOptions.bufferedWritableBytes),
              buffered > limit else { return }
        let reason = "the client is not reading its answers: \(buffered) bytes wait for it, over the limit of \(limit) (limits.max_unread_answer_bytes); connection closed"
        logger.warning("connection closed: client not reading", metadata: [
            "remote": "\(connection?.remoteAddressDescription ?? "-")", "buffered_bytes": "\(buffered)", "limit": "\(limit)",
        ])
        // No error frame: a peer that does not read would never see it.
        machine.close(reason: reason)
        closeError = closeError ?? RPCTransportError(.connectionClosed, .resourceExhausted, reason)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        handshakeTimeout?.cancel()
        keepaliveTask?.cancel()
        idleCheck?.cancel()
        authentication?.cancel()
        // A ping the peer never answered stays unanswered: its sender times it out itself.
        pongWaiters.removeAll()
        let closed = machine.channelClosed()
        let reason = closed.reason
        logger.debug("connection closed", metadata: ["peer": "\(agreement?.peerName ?? "-")", "reason": "\(reason)", "in_flight": "\(closed.inbound.count + closed.outbound.count)"])
        let failure = closeError ?? RPCTransportError(.connectionClosed, .unavailable, reason)
        connection?.recordClosed(failure)
        // Ignored when the handshake already failed it with a better error.
        if agreement == nil { established.fail(failure) }
        let status = CallStatus(RPCError(.unavailable, reason))
        for (observer, timer) in closed.outbound {
            timer?.cancel()
            observer(.end(status))
        }
        if let connection {
            for (id, timer) in closed.inbound {
                timer?.cancel()
                delegate.callAbandoned(streamID: id, on: connection, because: status)
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
            guard machine.closeReason == nil else { return }
            write(Frame(envelope))
            flushIfNeeded()
            becomeEstablished(agreement)
        case .establish(let agreement, let welcome):
            self.welcome = welcome
            self.peerPrincipal = welcome.principal
            becomeEstablished(agreement)
        case .fail(let error):
            failConnection(RPCTransportError(.handshakeFailed, error.code, error.message))
        case .closeRefused(let error):
            machine.close(reason: "refused by peer: \(error.code.name): \(error.message)")
            let failure = RPCTransportError(.handshakeRefused, error.code, error.message)
            closeError = closeError ?? failure
            established.fail(failure)
            context?.close(promise: nil)
        }
    }

    private func becomeEstablished(_ agreement: HandshakeStateMachine.Agreement) {
        guard let context else { return }
        self.agreement = agreement
        handshakeTimeout?.cancel()
        machine.established(agreement, now: context.eventLoop.now)
        scheduleKeepalive()
        lastCallActivity = .now()
        scheduleIdleCheck()
        connection?.recordEstablished(agreement: agreement, principal: peerPrincipal, welcome: welcome)
        established.succeed(())
        if let connection { delegate.connectionEstablished(connection) }
    }

    private func scheduleKeepalive() {
        guard let context else { return }
        keepaliveTask = context.eventLoop.assumeIsolated().scheduleTask(in: configuration.keepaliveInterval) { [weak self] in
            guard let self, let context = self.context else { return }
            switch self.machine.keepaliveTick(now: context.eventLoop.now) {
            case .none: break
            case .ping(let ping):
                self.write(ping)
                self.flushIfNeeded()
            case .fail(let error):
                self.sendErrorAndClose(error)
                return
            }
            self.scheduleKeepalive()
        }
    }

    /// Checks for idleness at the moment the connection would have been idle for
    /// `idleTimeout`; a call started or ended since pushes the next check on.
    private func scheduleIdleCheck() {
        guard let idle = configuration.idleTimeout, let context else { return }
        let at = lastCallActivity + idle
        idleCheck = context.eventLoop.assumeIsolated().scheduleTask(deadline: at) { [weak self] in
            guard let self, self.context != nil else { return }
            let now = NIODeadline.now()
            if self.machine.inFlightCount > 0 {
                self.lastCallActivity = now
            } else if now - self.lastCallActivity >= idle {
                let ms = idle.nanoseconds / 1_000_000
                self.logger.debug("closing idle connection", metadata: ["peer": "\(self.agreement?.peerName ?? "-")", "idle_ms": "\(ms)"])
                self.goAway(reason: "connection idle for \(ms) ms with no call; open a new connection when you need one")
                return
            }
            self.scheduleIdleCheck()
        }
    }

    private func noteCallActivity() {
        if configuration.idleTimeout != nil { lastCallActivity = .now() }
    }

    // MARK: Frames received

    private func perform(_ action: Machine.ReceiveAction, frame: Frame) {
        switch action {
        case .none:
            break
        case .write(let reply), .refuse(let reply):
            write(reply)  // flushed when the read completes
        case .serve(let id, let timeout):
            noteCallActivity()
            if let timeout, let context {
                let timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] () -> Void in self?.inboundDeadlinePassed(id) }
                machine.armInbound(id, timer: timer)
            }
            guard let connection, case .callStart(let start) = frame.envelope.kind else { return }
            delegate.callStarted(InboundCall(streamID: id, start: start, payload: frame.payload, deadline: timeout.map { .now() + $0 }, connection: connection))
        case .deliver(let observer, let event):
            observer(event)
        case .finish(let observer, let status, let timer):
            noteCallActivity()
            timer?.cancel()
            observer(.end(status))
            closeIfDrained()
        case .abandon(let id, let answer, let error, let timer):
            timer?.cancel()
            write(answer)
            if let connection { delegate.callAbandoned(streamID: id, on: connection, because: CallStatus(error)) }
            closeIfDrained()
        case .peerGoingAway(let reason):
            if let connection { delegate.peerGoingAway(connection, reason: reason) }
        case .closedByPeer:
            if case .error(let error) = frame.envelope.kind {
                closeError = closeError ?? RPCTransportError(.connectionClosed, StatusCode(rawValue: error.code), error.message)
            }
            context?.close(promise: nil)
        case .fail(let error):
            sendErrorAndClose(error)
        }
    }

    // MARK: Calls this side serves

    private func inboundDeadlinePassed(_ id: UInt32) {
        guard let abandoned = machine.inboundDeadlinePassed(id) else { return }
        write(abandoned.answer)
        flushIfNeeded()
        if let connection { delegate.callAbandoned(streamID: id, on: connection, because: CallStatus(abandoned.error)) }
        closeIfDrained()
    }

    /// Sends one response message for a call this side serves.
    func sendMessage(_ id: UInt32, _ payload: ByteBuffer) {
        switch machine.sendMessage(id, payload) {
        case .drop:
            break
        case .write(let frame):
            write(frame)
            scheduleFlush()
        case .endTooLarge(let end, let timer):
            timer?.cancel()
            write(end)
            scheduleFlush()
            closeIfDrained()
        }
    }

    /// Ends a call this side serves.
    func endInbound(_ id: UInt32, _ status: CallStatus) {
        guard let (end, timer) = machine.endInbound(id, status) else { return }
        noteCallActivity()
        timer?.cancel()
        write(end)
        scheduleFlush()
        closeIfDrained()
    }

    // MARK: Calls this side starts

    /// Starts a call; the observer hears every event. Returns the stream id, or nil if the
    /// call failed at once (the observer has then already heard its end).
    @discardableResult
    func startCall(_ start: Xinyu_Wire_V1_CallStart, payload: ByteBuffer, observer: @escaping CallObserver) -> UInt32? {
        switch machine.startCall(start, payload: payload, observer: observer) {
        case .fail(let observer, let status):
            observer(.end(status))
            return nil
        case .send(let id, let frame, let timeout):
            noteCallActivity()
            if let timeout, let context {
                let timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
                    guard let self else { return }
                    self.givenUp(self.machine.outboundDeadlinePassed(id))
                }
                machine.armOutbound(id, timer: timer)
            }
            write(frame)
            scheduleFlush()
            return id
        }
    }

    /// Sends a liveness ping; `onPong` runs on the loop when the peer answers it. Nothing runs
    /// when the peer never answers or the connection closes first: the caller keeps its own timeout.
    func sendPing(_ opaque: UInt64, onPong: @escaping @Sendable () -> Void) {
        guard agreement != nil, context != nil else { return }
        pongWaiters[opaque] = onPong
        write(.ping(opaque))
        flushIfNeeded()
    }

    /// Gives up on a call this side started: tells the peer and ends it locally.
    func cancelOutbound(_ id: UInt32, reason: String) {
        givenUp(machine.cancelOutbound(id, reason: reason))
    }

    private func givenUp(_ call: Machine.GivenUp?) {
        guard let call else { return }
        call.timer?.cancel()
        write(call.cancel)
        scheduleFlush()
        call.observer(.end(call.status))
        closeIfDrained()
    }

    // MARK: Closing

    /// Stops taking new calls, tells the peer, and closes once in-flight calls are answered
    /// (or the caller's own drain deadline closes it first).
    func goAway(reason: String) {
        guard let frame = machine.goAway(reason: reason) else { return }
        let live = machine.liveStreamIDs
        logger.debug("go_away", metadata: ["inbound": "\(live.inbound)", "outbound": "\(live.outbound)", "peer": "\(agreement?.peerName ?? "-")"])
        write(frame)
        flushIfNeeded()
        closeIfDrained()
    }

    private func closeIfDrained() {
        guard machine.closeIfDrained() else { return }
        // Answers written just now must go out before the close, or the peer never sees them.
        flushIfNeeded()
        context?.close(promise: nil)
    }

    /// Sends an error frame and closes: the path for every connection-level failure.
    func failConnection(_ error: RPCTransportError) {
        guard let error = machine.failConnection(error) else { return }
        sendErrorAndClose(error)
    }

    /// Writes the `error` frame of a failure the machine has recorded, then closes.
    private func sendErrorAndClose(_ error: RPCTransportError) {
        closeError = closeError ?? error
        guard let context else { return }
        logger.debug("closing connection", metadata: ["reason": "\(error.message)"])
        if agreement == nil { established.fail(error) }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.connectionError(code: error.code, message: error.message))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    /// Closes now; in-flight calls end with UNAVAILABLE and this reason.
    func close(reason: String) {
        machine.close(reason: reason)
        flushIfNeeded()
        context?.close(promise: nil)
    }

    /// Calls in flight in both directions.
    var inFlightCount: Int { machine.inFlightCount }

    // MARK: Writing

    private func write(_ frame: Frame) {
        guard let context else { return }
        context.write(wrapOutboundOut(frame), promise: nil)
        pendingFlush = true
        if configuration.maxUnreadOutboundBytes != nil, !context.channel.isWritable { checkUnreadOutbound(context) }
    }

    private func flushIfNeeded() {
        guard pendingFlush, let context else { return }
        pendingFlush = false
        context.flush()
    }

    /// Flushes at the end of this event-loop tick so that answers produced together go out in
    /// one system call.
    private func scheduleFlush() {
        guard let context, !pendingFlushScheduled else { return }
        pendingFlushScheduled = true
        context.eventLoop.assumeIsolated().execute { [weak self] in
            guard let self else { return }
            self.pendingFlushScheduled = false
            self.flushIfNeeded()
        }
    }
}
