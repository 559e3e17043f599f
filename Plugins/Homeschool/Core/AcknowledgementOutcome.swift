/// What a special visit's acknowledgements add up to: the three responsibilities (知情, 承担就医,
/// 确保安全) all acknowledged close it; any refusal refuses it; otherwise it stays owed.
public enum AcknowledgementOutcome: Sendable, Equatable {
    case complete
    case refused
    /// Still owed: the responsibilities not yet acknowledged.
    case incomplete(missing: [String])

    /// The three responsibilities, as stored.
    public static let responsibilities = ["informed", "treatment", "safety"]

    /// Decides from (responsibility, refused) pairs given on one visit.
    public static func decide(_ given: [(responsibility: String, refused: Bool)]) -> AcknowledgementOutcome {
        if given.contains(where: \.refused) { return .refused }
        let acknowledged = Set(given.map(\.responsibility))
        let missing = responsibilities.filter { !acknowledged.contains($0) }
        return missing.isEmpty ? .complete : .incomplete(missing: missing)
    }
}
