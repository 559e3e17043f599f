import ServiceLifecycle

/// The outbox relay runs as a service: it delivers until graceful shutdown. A delivery cut off
/// by the shutdown is not acknowledged, so it is delivered again after the next start (plugins
/// skip duplicates by event id).
extension OutboxRelay: Service {
    func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.deliverUntilCancelled()
        }
    }
}
