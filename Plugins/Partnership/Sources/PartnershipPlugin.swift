import XinyuPartnershipCore
import XinyuPluginSDK

/// The partnership plugin (xinyu-plugin-partnership): the inter-agency network (联防机制).
/// Agencies and agreements, the referral lifecycle agencies work in, expert sessions and the
/// hotline.
///
/// ```swift
/// await PluginRuntime.run(PartnershipPlugin())
/// ```
public struct PartnershipPlugin: XinyuPlugin {
    /// "partnership".
    public let name = "partnership"
    /// Shown by `xinyu plugins`.
    public let version = "1.0.0"
    /// Response deadlines, reason codes, agreement warnings (Config/plugins/partnership.toml).
    public let configuration: PartnershipConfiguration
    /// Wakes `WatchReferrals` streams when a referral changes in this process.
    let changes = ReferralChangeBell()

    /// The service's full name.
    public static let serviceName = "xinyu.partnership.v1.Partnership"

    /// Creates the plugin with a configuration (the built-in defaults unless given).
    public init(configuration: PartnershipConfiguration = .default) {
        self.configuration = configuration
    }

    /// The plugin's tables ("partnership/v1-…"). Never edit one once shipped.
    public var migrations: [NamedMigration] { PartnershipSchema.migrations }

    /// Reads Config/plugins/partnership.toml; a bad file stops the plugin with the key and problem.
    public func configured(with settings: PluginSettings) throws -> PartnershipPlugin {
        guard let table = try settings.table() else { return self }
        return PartnershipPlugin(configuration: try PartnershipConfiguration.read(table))
    }

    /// Registers every method, subscription and deadline timer.
    public func register(_ registry: inout ServiceRegistry) {
        let configuration = self.configuration
        let changes = self.changes
        registry.publishes(PartnershipTopics.referralUpdated)
        registry.service(Self.serviceName) { s in
            AgencyHandlers(configuration: configuration).register(&s)
            ReferralHandlers(configuration: configuration, changes: changes).register(&s)
            ReferralWatch(changes: changes).register(&s)
            ClinicalSummaryHandlers().register(&s)
            SessionHandlers().register(&s)
            HotlineHandlers().register(&s)
            AgreementCheck().register(&s)
        }
        ReferralIntake(configuration: configuration, changes: changes).subscribe(&registry)
        ReferralDeadlines(changes: changes).register(&registry)
    }
}
