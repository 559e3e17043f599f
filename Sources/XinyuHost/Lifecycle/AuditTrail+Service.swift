import ServiceLifecycle

/// The audit trail runs as a service: its batch writer and the daily retention sweep, until
/// graceful shutdown, when the writer writes everything still buffered and stops. It is the
/// first service started and so the last stopped: every other part has finished its calls.
extension AuditTrail: Service {
    func run() async throws {
        let writer = self.writer
        await withGracefulShutdownHandler {
            await runUntilClosed()
        } onGracefulShutdown: {
            writer.stop()
        }
    }
}
