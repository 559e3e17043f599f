import XinyuDomainKit

/// One signed agreement (签约) as the coverage rule sees it.
public struct AgreementTerms: Sendable, Equatable {
    public let id: String
    public let signedOn: CalendarDay
    public let expiresOn: CalendarDay
    /// The purposes it covers; empty covers every purpose (a framework agreement).
    public let purposes: [String]

    /// Creates the terms of an agreement.
    public init(id: String, signedOn: CalendarDay, expiresOn: CalendarDay, purposes: [String]) {
        self.id = id
        self.signedOn = signedOn
        self.expiresOn = expiresOn
        self.purposes = purposes
    }

    /// In force on `day`: signed on or before it and expiring on or after it.
    public func inForce(on day: CalendarDay) -> Bool { signedOn <= day && day <= expiresOn }

    /// Covers `purpose` (or every purpose).
    public func covers(_ purpose: String) -> Bool { purposes.isEmpty || purposes.contains(purpose) }
}

/// Whether a referral for a purpose may go to an agency: only under a signed agreement in force
/// that covers the purpose. The answer names the agreement that allows it, or the problem.
public enum AgreementCoverage {
    /// The decision for one agency.
    public enum Decision: Sendable, Equatable {
        /// Allowed by this agreement.
        case covered(AgreementTerms)
        /// Refused: why, and the agreement the reason is about (the latest), if any.
        case refused(reason: String, latest: AgreementTerms?)
    }

    /// Decides for `purpose` on `today` from the agency's agreements (any order).
    public static func decide(agencyID: String, agreements: [AgreementTerms], purpose: String, today: CalendarDay) -> Decision {
        let latestFirst = agreements.sorted { ($0.expiresOn, $0.signedOn) > ($1.expiresOn, $1.signedOn) }
        if let good = latestFirst.first(where: { $0.inForce(on: today) && $0.covers(purpose) }) {
            return .covered(good)
        }
        guard let latest = latestFirst.first else {
            return .refused(reason: "agency \(agencyID) has no signed agreement", latest: nil)
        }
        if let inForce = latestFirst.first(where: { $0.inForce(on: today) }) {
            return .refused(reason: "no agreement with \(agencyID) in force covers \"\(purpose)\" (agreement \(inForce.id) covers \(inForce.purposes.joined(separator: ", ")))",
                            latest: inForce)
        }
        if let future = latestFirst.last(where: { $0.signedOn > today }), future.covers(purpose) {
            return .refused(reason: "the agreement \(future.id) with \(agencyID) is in force only from \(future.signedOn)", latest: future)
        }
        return .refused(reason: "the agreement \(latest.id) with \(agencyID) expired on \(latest.expiresOn)", latest: latest)
    }
}
