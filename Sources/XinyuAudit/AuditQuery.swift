import Foundation

/// Which audit records to return; every filter left nil matches everything. Results are oldest first.
///
/// To page, pass the last returned record's sequence as `afterSequence` of the next query.
public struct AuditQuery: Sendable, Equatable {
    /// The most records one query may return, whatever `limit` asks for.
    public static let maximumLimit = 10_000

    /// Only calls by this principal (exact match).
    public var principalID: String?
    /// Only calls to this method. Exact match, unless it ends in "*": then the rest is a prefix,
    /// e.g. "xinyu.crisis.v1.Crisis/*" or "xinyu.crisis.*". (A bare prefix would let
    /// "…/GetCase" also match "…/GetCaseNotes".)
    public var method: String?
    /// Only calls that touched this student id.
    public var subject: String?
    /// Only calls that ended with this status code name, e.g. "PERMISSION_DENIED".
    public var outcome: String?
    /// Only calls at or after this time.
    public var from: Date?
    /// Only calls before this time (exclusive).
    public var to: Date?
    /// At most this many records; clamped to 0...`maximumLimit`.
    public var limit: Int
    /// Only records with a higher sequence: the previous page's last sequence.
    public var afterSequence: Int64?

    /// Creates a query; with no arguments it returns the oldest 100 records.
    public init(
        principalID: String? = nil,
        method: String? = nil,
        subject: String? = nil,
        outcome: String? = nil,
        from: Date? = nil,
        to: Date? = nil,
        limit: Int = 100,
        afterSequence: Int64? = nil
    ) {
        self.principalID = principalID
        self.method = method
        self.subject = subject
        self.outcome = outcome
        self.from = from
        self.to = to
        self.limit = limit
        self.afterSequence = afterSequence
    }

    /// `limit` clamped to what a query may return.
    var effectiveLimit: Int { min(max(limit, 0), Self.maximumLimit) }
}
