import XinyuDomainKit
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
    /// Returns the plugin configured from its settings file (`Config/plugins/<name>.toml`),
    /// before migrations run. Throw an error whose description names the key and the problem:
    /// the plugin then exits with 78 (EX_CONFIG) and the host log shows the message.
    /// The default ignores the settings.
    func configured(with settings: PluginSettings) throws -> Self
}

extension XinyuPlugin {
    /// Ignores the settings: for plugins with nothing to configure.
    public func configured(with settings: PluginSettings) throws -> Self { self }
}

/// A plugin's own settings, as the host found them for it.
public struct PluginSettings: Sendable {
    /// The settings file, or nil when the deployment has none for this plugin (use defaults).
    public let path: String?
    /// The file's text (UTF-8), or nil when there is no file.
    public let text: String?

    /// Settings read from `path`, or none.
    public init(path: String?, text: String?) {
        self.path = path
        self.text = text
    }

    /// The file parsed as a ``SettingsTable`` (errors name the file, the key and the problem),
    /// or nil when there is no file and the plugin runs on its defaults.
    ///
    /// ```swift
    /// func configured(with settings: PluginSettings) throws -> Self {
    ///     guard let table = try settings.table() else { return self }
    ///     try table.allowOnly(["review_days"])
    ///     var copy = self
    ///     copy.reviewDays = try table.int("review_days", in: 1...365) ?? reviewDays
    ///     return copy
    /// }
    /// ```
    public func table() throws(SettingsError) -> SettingsTable? {
        guard let text else { return nil }
        return try SettingsTable.parse(text, source: path ?? "settings")
    }
}
