import ServiceLifecycle

/// The liveness monitor runs as a service: it pings and checks the plugins every tick until
/// graceful shutdown (stopped before the supervisor, so a plugin stopping is never taken for a
/// hung one).
extension PluginLivenessMonitor: Service {
    func run() async throws {
        let tick = tickInterval
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                self.check()
                do { try await Task.sleep(for: tick) } catch { return }
            }
        }
    }
}
