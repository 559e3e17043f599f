/// The referral lifecycle as a pure state machine: which steps are allowed, and by whom.
///
/// ```
///  requested ──► accepted ──► appointment_booked ──► in_treatment ──► completed
///      │                        │      ▲ (rebook)
///      └──► declined            └──────┘
///  any open status ──► revoked (school) | withdrawn (consent withdrawn, school)
/// ```
public enum ReferralLifecycle {
    /// The statuses `actor` may move a referral in `from` to.
    public static func allowed(from: ReferralState, by actor: ReferralActor) -> [ReferralState] {
        if from.isFinal { return [] }
        switch actor {
        case .school:
            return [.revoked, .withdrawn]
        case .agency:
            switch from {
            case .requested: return [.accepted, .declined]
            case .accepted: return [.appointmentBooked]
            case .appointmentBooked: return [.appointmentBooked, .inTreatment]
            case .inTreatment: return [.completed]
            case .declined, .completed, .revoked, .withdrawn: return []
            }
        }
    }

    /// Checks one step; the refusal names the allowed ones.
    public static func check(from: ReferralState, to: ReferralState, by actor: ReferralActor) throws(TransitionRefused) {
        let allowed = allowed(from: from, by: actor)
        guard allowed.contains(to) else { throw TransitionRefused(from: from, to: to, allowed: allowed) }
    }
}

/// A step the lifecycle does not allow.
public struct TransitionRefused: Error, Sendable, Equatable, CustomStringConvertible {
    public let from: ReferralState
    public let to: ReferralState
    /// What the same actor may do instead (empty for a finished referral).
    public let allowed: [ReferralState]

    /// Describes a refused step.
    public init(from: ReferralState, to: ReferralState, allowed: [ReferralState]) {
        self.from = from
        self.to = to
        self.allowed = allowed
    }

    /// "cannot go from requested to completed; allowed: accepted, declined".
    public var description: String {
        let options = allowed.isEmpty ? "none (the referral is \(from.rawValue), which is final)" : allowed.map(\.rawValue).joined(separator: ", ")
        return "cannot go from \(from.rawValue) to \(to.rawValue); allowed: \(options)"
    }
}
