/// A TLS setting that cannot be used: a missing or unreadable file, a file that holds the
/// wrong thing, or settings that contradict each other.
///
/// The description names the setting, the file and the problem, e.g.
/// "tls.certificate: /etc/xinyu/server.pem: no such file", so that whoever edits the
/// configuration knows what to fix. It never contains key material.
public struct TLSSettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The configuration key at fault, e.g. "tls.private_key".
    public let setting: String
    /// The file at fault, when there is one.
    public let path: String?
    /// What is wrong, in words.
    public let problem: String

    /// Creates an error for one setting.
    public init(setting: String, path: String?, problem: String) {
        self.setting = setting
        self.path = path
        self.problem = problem
    }

    public var description: String {
        if let path { "\(setting): \(path): \(problem)" } else { "\(setting): \(problem)" }
    }
}
