import XinyuCrisisCore
import XinyuPluginSDK

/// The crisis plugin (xinyu-plugin-crisis): screening, the three-level warning database,
/// cases and plans, referral, leave and return, provincial reporting. "The last line of defence."
///
/// ```swift
/// await PluginRuntime.run(CrisisPlugin())
/// ```
public struct CrisisPlugin: XinyuPlugin {
    /// "crisis".
    public let name = "crisis"
    /// Shown by `xinyu plugins`.
    public let version = "1.0.0"
    /// Instruments, warning policy and timings (Config/plugins/crisis.toml, or the defaults).
    public let configuration: CrisisConfiguration

    /// The service's full name.
    public static let serviceName = "xinyu.crisis.v1.Crisis"

    /// Creates the plugin with a configuration (the built-in defaults unless given).
    public init(configuration: CrisisConfiguration = .default) {
        self.configuration = configuration
    }

    /// The plugin's tables ("crisis/v1-…"). Never edit one once shipped.
    public var migrations: [NamedMigration] { CrisisSchema.migrations }

    /// Reads Config/plugins/crisis.toml; a bad file stops the plugin with the key and problem.
    public func configured(with settings: PluginSettings) throws -> CrisisPlugin {
        guard let table = try settings.table() else { return self }
        return CrisisPlugin(configuration: try CrisisConfiguration.read(table))
    }

    /// Registers every method, subscription and deadline timer.
    public func register(_ registry: inout ServiceRegistry) {
        let configuration = self.configuration
        for topic in CrisisTopics.published { registry.publishes(topic) }
        registry.service(Self.serviceName) { s in
            // Field-level visibility in one place: every reply passes through it (ClinicalRedaction).
            s.filterReplies(when: { !ClinicalRedaction.seesClinical($0) }, ClinicalRedaction.redacted)
            ScreeningHandlers(configuration: configuration).register(&s)
            ScreeningRoundImport(configuration: configuration).register(&s)
            LevelHandlers(configuration: configuration).register(&s)
            ConcernHandlers(configuration: configuration).register(&s)
            CaseHandlers(configuration: configuration).register(&s)
            PlanHandlers().register(&s)
            FollowUpHandlers().register(&s)
            ApprovalHandlers(configuration: configuration).register(&s)
            NoteHandlers().register(&s)
            ReferralHandlers().register(&s)
            LeaveHandlers(configuration: configuration).register(&s)
            ArchiveHandlers().register(&s)
            ReportingHandlers().register(&s)
            StatisticsHandlers().register(&s)
            ArchiveCompletenessHandlers().register(&s)
            SupervisionHandlers().register(&s)
            SafetyReviewHandlers().register(&s)
            ConcernOutcomeHandlers().register(&s)
            WorkbenchHandlers().register(&s)
        }
        ReferralHandlers().subscribe(&registry)
        ArchiveHandlers().subscribe(&registry)
        EscalationTimers(configuration: configuration).register(&registry)
        CaseNeedTimers(configuration: configuration).register(&registry)
        registry.atStart("attach-return-follow-ups-to-cases") { context in
            try await ReturnFollowUpRepair(configuration: configuration).run(context)
        }
    }
}
