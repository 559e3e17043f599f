import XinyuFacilitiesCore
import XinyuPluginSDK

/// The facilities plugin (xinyu-plugin-facilities): counselling rooms and their certification,
/// sub-centres, duty rosters with check-ins and missed duties, inspections with measured figures,
/// rectification and printable reports (docs/FACILITIES.md).
///
/// ```swift
/// await PluginRuntime.run(FacilitiesPlugin())
/// ```
public struct FacilitiesPlugin: XinyuPlugin {
    /// "facilities".
    public let name = "facilities"
    /// Shown by `xinyu plugins`.
    public let version = "1.0.0"
    /// The default template and the duty rules (Config/plugins/facilities.toml, or the defaults).
    public let configuration: FacilitiesConfiguration

    /// The service's full name.
    public static let serviceName = "xinyu.facilities.v1.Facilities"

    /// Creates the plugin with a configuration (the built-in defaults unless given).
    public init(configuration: FacilitiesConfiguration = .default) {
        self.configuration = configuration
    }

    /// The plugin's tables ("facilities_…"). Never edit one once shipped.
    public var migrations: [NamedMigration] { FacilitiesSchema.migrations }

    /// Reads Config/plugins/facilities.toml; a bad file stops the plugin with the key and problem.
    public func configured(with settings: PluginSettings) throws -> FacilitiesPlugin {
        guard let table = try settings.table() else { return self }
        return FacilitiesPlugin(configuration: try FacilitiesConfiguration.read(table))
    }

    /// Registers every method, the missed-duty timers and the default template's start task.
    public func register(_ registry: inout ServiceRegistry) {
        let configuration = self.configuration
        registry.service(Self.serviceName) { s in
            RoomHandlers(configuration: configuration).register(&s)
            DutyHandlers(configuration: configuration).register(&s)
            DutyRosterHandlers().register(&s)
            TemplateHandlers(configuration: configuration).register(&s)
            InspectionHandlers(configuration: configuration).register(&s)
            RectificationHandlers().register(&s)
            ReportHandlers().register(&s)
        }
        DutyTimers(configuration: configuration).register(&registry)
        TemplateHandlers(configuration: configuration).registerStart(&registry)
    }
}
