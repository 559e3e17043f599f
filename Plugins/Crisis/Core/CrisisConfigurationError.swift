import XinyuDomainKit

/// Why crisis.toml was rejected: the file, the key path and the problem.
///
/// `description` reads "Config/plugins/crisis.toml: instruments[1].bands: totals 5–6 are in no band".
public typealias CrisisConfigurationError = SettingsError
