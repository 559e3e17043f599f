/// Whether a TLS listener asks connecting peers for a client certificate.
///
/// A struct over a private enum, so that a new policy never breaks callers that switch on it.
public struct ClientCertificatePolicy: Sendable, Hashable, CustomStringConvertible {
    private enum Mode: String, Sendable, Hashable {
        case none, optional, required
    }

    private let mode: Mode

    /// No client certificate is asked for; peers prove who they are in the Hello only.
    public static let none = ClientCertificatePolicy(mode: .none)
    /// A client certificate is asked for and verified when given; peers without one still
    /// connect (their ``RPCConnection/peerCertificate`` is nil).
    public static let optional = ClientCertificatePolicy(mode: .optional)
    /// Every peer must present a certificate issued by the configured client CA, or the TLS
    /// handshake fails before any protocol frame is read.
    public static let required = ClientCertificatePolicy(mode: .required)

    /// Reads a policy from configuration text: "none", "optional" or "required".
    public init?(configValue: String) {
        guard let mode = Mode(rawValue: configValue.lowercased()) else { return nil }
        self.mode = mode
    }

    private init(mode: Mode) { self.mode = mode }

    /// Whether a client certificate is asked for at all.
    public var asksForCertificate: Bool { mode != .none }

    /// "none", "optional" or "required", as written in configuration.
    public var description: String { mode.rawValue }
}
