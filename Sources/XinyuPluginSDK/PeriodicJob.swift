/// Work a plugin wants done on a schedule, e.g. escalating cases nobody was assigned to in time.
///
/// Registered with ``ServiceRegistry/every(_:_:handler:)``. `PluginRuntime` runs each job in a
/// loop: the first run one interval after start-up, then one interval after the previous run
/// finished (runs never overlap). A failing run is logged without its details and the loop
/// continues. Jobs run as the principal `plugin:<name>` with every permission and city scope.
public struct PeriodicJob: Sendable {
    /// A stable name, unique within the plugin, e.g. "escalate-unassigned-cases".
    public let name: String
    /// Time between the end of one run and the start of the next.
    public let interval: Duration
    let run: @Sendable (CallContext) async throws -> Void
}
