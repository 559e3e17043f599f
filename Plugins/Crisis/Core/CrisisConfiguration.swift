/// Everything the crisis plugin reads from its TOML configuration
/// (Config/plugins/crisis.toml): instruments, warning policy, timings, detection.
///
/// See `parse(_:source:)` for the file format. Anything not in the file keeps
/// its default: the built-in instruments, `WarningPolicy.default`, `CrisisTimings.default`.
public struct CrisisConfiguration: Sendable, Equatable {
    /// The instruments that can be scored (built-ins plus configured ones).
    public var catalog: InstrumentCatalog
    /// How results map to warning levels.
    public var policy: WarningPolicy
    /// Review intervals and deadlines.
    public var timings: CrisisTimings
    /// What detection at level 1–2 creates (an open case, or a "needs a case" item).
    public var detection: CaseDetection

    /// Creates a configuration.
    public init(catalog: InstrumentCatalog, policy: WarningPolicy, timings: CrisisTimings, detection: CaseDetection = .default) {
        self.catalog = catalog
        self.policy = policy
        self.timings = timings
        self.detection = detection
    }

    /// Built-in instruments, the default policy and default timings.
    public static let `default` = CrisisConfiguration(catalog: .builtIn, policy: .default, timings: .default)
}
