import XinyuPluginSDK
import XinyuTrainingCore

/// The training plugin (xinyu-plugin-training, 全员心育): courses and sessions with capacity-safe
/// enrolment and a waitlist, attendance, completion and C/B certificates, certificate import,
/// coverage figures, the heart grid (心网格) and education activities (心育活动).
///
/// ```swift
/// await PluginRuntime.run(TrainingPlugin())
/// ```
public struct TrainingPlugin: XinyuPlugin {
    /// "training".
    public let name = "training"
    /// Shown by `xinyu plugins`.
    public let version = "1.0.0"
    /// Grid ratio, certificate validity, the assessment formula (Config/plugins/training.toml).
    public let configuration: TrainingConfiguration

    /// The service's full name.
    public static let serviceName = "xinyu.training.v1.Training"

    /// Creates the plugin with a configuration (the built-in defaults unless given).
    public init(configuration: TrainingConfiguration = .default) {
        self.configuration = configuration
    }

    /// The plugin's tables ("training/v1-…"). Never edit one once shipped.
    public var migrations: [NamedMigration] { TrainingSchema.migrations }

    /// Reads Config/plugins/training.toml; a bad file stops the plugin with the key and problem.
    public func configured(with settings: PluginSettings) throws -> TrainingPlugin {
        guard let table = try settings.table() else { return self }
        return TrainingPlugin(configuration: try TrainingConfiguration.read(table))
    }

    /// Registers every method.
    public func register(_ registry: inout ServiceRegistry) {
        let configuration = self.configuration
        registry.service(Self.serviceName) { s in
            CourseHandlers().register(&s)
            EnrolmentHandlers().register(&s)
            CompletionHandlers(configuration: configuration).register(&s)
            CertificateHandlers(configuration: configuration).register(&s)
            CertificateImport().register(&s)
            StatisticsHandlers(configuration: configuration).register(&s)
            GridHandlers(configuration: configuration).register(&s)
            ActivityHandlers(configuration: configuration).register(&s)
        }
    }
}
