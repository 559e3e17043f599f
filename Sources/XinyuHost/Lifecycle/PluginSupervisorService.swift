import ServiceLifecycle

/// Runs the ``PluginSupervisor`` as a service: starts the enabled plugins, supervises them, and
/// on graceful shutdown stops them (go_away, SIGTERM, SIGKILL after `stopGrace`), returning only
/// once every plugin process has exited.
struct PluginSupervisorService: Service {
    let supervisor: PluginSupervisor
    let stopGrace: Duration
    /// Called once every enabled plugin has been launched.
    let onStarted: @Sendable () -> Void

    func run() async throws {
        let supervisor = self.supervisor
        let stopGrace = self.stopGrace
        await withGracefulShutdownHandler {
            await supervisor.run(onStarted: onStarted)
        } onGracefulShutdown: {
            supervisor.requestStop(grace: stopGrace)
        }
    }
}
