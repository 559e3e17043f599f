import NIOCore
import SwiftProtobuf
import XinyuWire

/// Collects a plugin's methods and event subscriptions.
///
/// ```swift
/// func register(_ registry: inout ServiceRegistry) {
///     registry.service("xinyu.crisis.v1.Crisis") { s in
///         s.unary("GetLevel", permission: "crisis.level.read", handler: getLevel)
///         s.unary("OpenCase", permission: "crisis.case.write", mutates: true, handler: openCase)
///     }
///     registry.subscribe("homeschool.visit.recorded", as: VisitRecorded.self, handler: onVisit)
/// }
/// ```
public struct ServiceRegistry: Sendable {
    /// Methods by full name ("package.Service/Method").
    public private(set) var methods: [String: MethodHandler] = [:]
    /// Services in registration order, for the manifest.
    public private(set) var services: [Xinyu_Wire_V1_ServiceDescriptor] = []
    /// Event handlers by topic.
    public private(set) var subscriptions: [String: EventHandler] = [:]
    /// Topics the plugin may record in the outbox.
    public private(set) var publishedTopics: [String] = []
    /// Periodic jobs by name, run by `PluginRuntime` (or on demand by ``ServiceDispatcher/runJob(_:)``).
    public private(set) var jobs: [String: PeriodicJob] = [:]
    /// Timer handlers by topic (ServiceRegistry+Timers.swift).
    public internal(set) var timerHandlers: [String: TimerHandler] = [:]
    /// Work run once at each start, in order (ServiceRegistry+Timers.swift).
    public internal(set) var startTasks: [StartTask] = []

    /// Creates an empty registry.
    public init() {}

    /// Registers the methods of one service.
    public mutating func service(_ name: String, _ build: (inout ServiceBuilder) -> Void) {
        var builder = ServiceBuilder(serviceName: name)
        build(&builder)
        var descriptor = Xinyu_Wire_V1_ServiceDescriptor()
        descriptor.name = name
        descriptor.methods = builder.handlers.map(\.descriptor)
        services.append(descriptor)
        for var handler in builder.handlers {
            handler.replyFilter = builder.replyFilter.map { ReplyFilter.bytes($0, responseType: handler.responseType) }
            precondition(methods[handler.fullName] == nil, "method \(handler.fullName) registered twice")
            methods[handler.fullName] = handler
        }
    }

    /// Declares a topic this plugin publishes (listed in its manifest).
    public mutating func publishes(_ topic: String) {
        if !publishedTopics.contains(topic) { publishedTopics.append(topic) }
    }

    /// Registers a job that runs every `interval` while the plugin runs; see ``PeriodicJob``.
    /// The handler must be safe to run again after a crash part-way (use one transaction).
    public mutating func every(
        _ interval: Duration, _ name: String, handler: @escaping @Sendable (CallContext) async throws -> Void
    ) {
        precondition(jobs[name] == nil, "job \(name) registered twice")
        precondition(interval > .zero, "job \(name) needs a positive interval")
        jobs[name] = PeriodicJob(name: name, interval: interval, run: handler)
    }

    /// Subscribes to a topic. The handler runs at least once per event; the SDK skips events
    /// it has already handled, recording that in the same transaction as the handler's writes.
    public mutating func subscribe<E: SwiftProtobuf.Message>(
        _ topic: String, as type: E.Type,
        handler: @escaping @Sendable (E, EventInfo, CallContext) async throws -> Void
    ) {
        subscriptions[topic] = EventHandler(topic: topic) { bytes, info, context in
            let event: E
            do {
                event = try E(serializedBytes: bytes)
            } catch {
                throw RPCError(.invalidArgument, "event \(info.eventID) on \(topic) is not a valid \(E.protoMessageName): \(ProtobufDecodeProblem.describe(bytes, as: E.self, error: error))")
            }
            try await handler(event, info, context)
        }
    }

    /// The manifest sent to the host in the handshake.
    public func manifest(name: String, version: String, schemaVersion: UInt32) -> Xinyu_Wire_V1_PluginManifest {
        var manifest = Xinyu_Wire_V1_PluginManifest()
        manifest.name = name
        manifest.version = version
        manifest.schemaVersion = schemaVersion
        manifest.services = services
        manifest.publishes = publishedTopics
        manifest.subscribes = subscriptions.keys.sorted()
        return manifest
    }
}

/// Facts about a delivered event.
public struct EventInfo: Sendable {
    public let eventID: Int64
    public let topic: String
    public let publisher: String
    public let recordedAtMs: Int64
    public let actorID: String
}

/// A type-erased event subscription.
public struct EventHandler: Sendable {
    public let topic: String
    let invoke: @Sendable ([UInt8], EventInfo, CallContext) async throws -> Void
}

/// Registers the methods of one service; see ``ServiceRegistry/service(_:_:)``.
public struct ServiceBuilder {
    let serviceName: String
    var handlers: [MethodHandler] = []
    /// Applied to every reply of every method of the service (``filterReplies(when:_:)``).
    var replyFilter: ReplyFilter?

    /// Registers a unary method.
    /// - Parameters:
    ///   - permission: what the caller needs, e.g. "crisis.case.read"; the host refuses the call
    ///     without it before the plugin sees it.
    ///   - mutates: the method changes data: idempotency keys apply and it is audited as a write.
    ///   - placement: where the handler runs; ``HandlerPlacement/eventLoop`` only for short,
    ///     bounded handlers such as point reads.
    public mutating func unary<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: String, permission: String, mutates: Bool = false, placement: HandlerPlacement = .taskPool,
        handler: @escaping @Sendable (Request, CallContext) async throws -> Response
    ) {
        add(method, permission: permission, mutates: mutates, streaming: false, placement: placement, Request.self, Response.self) { bytes, context, sink in
            let request = try ProtobufCoding.decode(Request.self, from: bytes)
            let response = try await handler(request, context)
            try sink.send(response)
        }
    }

    /// Registers a server-streaming method: the handler sends any number of responses.
    public mutating func serverStreaming<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: String, permission: String, mutates: Bool = false, response: Response.Type,
        handler: @escaping @Sendable (Request, ResponseStream<Response>, CallContext) async throws -> Void
    ) {
        add(method, permission: permission, mutates: mutates, streaming: true, placement: .taskPool, Request.self, Response.self) { bytes, context, sink in
            let request = try ProtobufCoding.decode(Request.self, from: bytes)
            try await handler(request, ResponseStream(sink: sink), context)
        }
    }

    private mutating func add<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: String, permission: String, mutates: Bool, streaming: Bool, placement: HandlerPlacement,
        _ request: Request.Type, _ response: Response.Type,
        invoke: @escaping @Sendable (ByteBuffer, CallContext, ResponseSink) async throws -> Void
    ) {
        var descriptor = Xinyu_Wire_V1_MethodDescriptor()
        descriptor.name = method
        descriptor.permission = permission
        descriptor.mutates = mutates
        descriptor.serverStreaming = streaming
        descriptor.requestType = Request.protoMessageName
        descriptor.responseType = Response.protoMessageName
        handlers.append(MethodHandler(descriptor: descriptor, fullName: "\(serviceName)/\(method)", placement: placement, invoke: invoke, responseType: Response.self))
    }
}
