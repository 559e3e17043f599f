import XinyuHomeschoolCore
import XinyuPluginSDK

/// The homeschool plugin (xinyu-plugin-homeschool): home visits for every student, special
/// visits for high-risk students with the parents' three acknowledgements, and the guardian
/// consent registry (家校社协同).
///
/// ```swift
/// await PluginRuntime.run(HomeschoolPlugin())
/// ```
public struct HomeschoolPlugin: XinyuPlugin {
    /// "homeschool".
    public let name = "homeschool"
    /// Shown by `xinyu plugins`.
    public let version = "1.0.0"
    /// Categories, special-visit days and the school year (Config/plugins/homeschool.toml, or the defaults).
    public let configuration: HomeschoolConfiguration

    /// The service's full name.
    public static let serviceName = "xinyu.homeschool.v1.Homeschool"

    /// Creates the plugin with a configuration (the built-in defaults unless given).
    public init(configuration: HomeschoolConfiguration = .default) {
        self.configuration = configuration
    }

    /// The plugin's tables ("homeschool/v1-…"). Never edit one once shipped.
    public var migrations: [NamedMigration] { HomeschoolSchema.migrations }

    /// Reads Config/plugins/homeschool.toml; a bad file stops the plugin with the key and problem.
    public func configured(with settings: PluginSettings) throws -> HomeschoolPlugin {
        guard let table = try settings.table() else { return self }
        return HomeschoolPlugin(configuration: try HomeschoolConfiguration.read(table))
    }

    /// Registers every method, subscription and timer.
    public func register(_ registry: inout ServiceRegistry) {
        let configuration = self.configuration
        for topic in HomeschoolTopics.published { registry.publishes(topic) }
        registry.service(Self.serviceName) { s in
            VisitHandlers(configuration: configuration).register(&s)
            VisitConcernHandlers().register(&s)
            CoverageHandlers(configuration: configuration).register(&s)
            CategoryHandlers(configuration: configuration).register(&s)
            SpecialVisitHandlers().register(&s)
            ConsentHandlers().register(&s)
            ParentEducationHandlers(configuration: configuration).register(&s)
        }
        SpecialVisitTriggers(configuration: configuration).register(&registry)
    }
}
