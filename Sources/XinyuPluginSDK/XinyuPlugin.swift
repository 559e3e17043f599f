import XinyuStore

/// A domain plugin: a name, its migrations and its handlers.
///
/// ```swift
/// struct CrisisPlugin: XinyuPlugin {
///     let name = "crisis"
///     let version = "1.0.0"
///     var migrations: [NamedMigration] { CrisisSchema.migrations }
///     func register(_ registry: inout ServiceRegistry) { ... }
/// }
///
/// @main enum Main { static func main() async { await PluginRuntime.run(CrisisPlugin()) } }
/// ```
public protocol XinyuPlugin: Sendable {
    /// The plugin's name: lower-case, as in `xinyu-plugin-<name>` and the host's configuration.
    var name: String { get }
    /// The plugin's version, shown by `xinyu plugins`.
    var version: String { get }
    /// The plugin's own tables, as named migrations. Never modify one once it has shipped.
    var migrations: [NamedMigration] { get }
    /// Registers the plugin's methods and event subscriptions.
    func register(_ registry: inout ServiceRegistry)
}
