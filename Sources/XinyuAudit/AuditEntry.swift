import Foundation

/// One call to the host, as the audit trail records it: who called what, from where, how it ended,
/// and which students it touched.
///
/// Every field is hashed into the chain, so none may change once appended. `time` is kept to the
/// millisecond (truncated toward the past); the stored and returned value is that truncated time.
/// `detail` and `subjects` must never carry personal data: the trail is read by auditors who may not
/// see the records themselves, so it holds ids and reasons, never names or notes.
public struct AuditEntry: Sendable, Equatable {
    /// When the call arrived (UTC; millisecond precision once stored).
    public var time: Date
    /// Who called: "operator", "staff:T0012", "agency:kangning", "plugin:crisis".
    public var principalID: String
    /// What kind of principal: "person", "agency", "service", "operator", "plugin".
    public var principalKind: String
    /// Where the call came from: "unix", "tcp 10.0.0.5:51234", "plugin crisis".
    public var source: String
    /// The full method name, e.g. "xinyu.crisis.v1.Crisis/GetCase".
    public var method: String
    /// The status code name the call ended with: "OK", "PERMISSION_DENIED", ...
    public var outcome: String
    /// A short reason, never personal data: "missing permission crisis.notes.read", "scope violation".
    public var detail: String
    /// Ids of the students (data subjects) the call touched, in the order the handler reported them.
    /// Ids only, never names.
    public var subjects: [String]

    /// Creates an entry; `time` defaults to now.
    public init(
        time: Date = Date(),
        principalID: String,
        principalKind: String,
        source: String,
        method: String,
        outcome: String,
        detail: String = "",
        subjects: [String] = []
    ) {
        self.time = time
        self.principalID = principalID
        self.principalKind = principalKind
        self.source = source
        self.method = method
        self.outcome = outcome
        self.detail = detail
        self.subjects = subjects
    }
}
