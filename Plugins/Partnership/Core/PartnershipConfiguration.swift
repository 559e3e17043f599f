import XinyuDomainKit

/// The partnership plugin's settings (Config/plugins/partnership.toml), with defaults.
public struct PartnershipConfiguration: Sendable, Equatable {
    /// Minutes an agency has to accept or decline an urgent referral (the hospital green
    /// channel answers within hours).
    public var urgentResponseMinutes = 240
    /// Minutes for a routine referral (default 3 days).
    public var routineResponseMinutes = 4_320
    /// Reason codes an agency may give when it declines (未接诊原因).
    public var declineReasons = ["no_capacity", "outside_specialty", "outside_area", "guardian_refused", "duplicate"]
    /// Reason codes for a completion that did not succeed.
    public var unsuccessfulReasons = ["dropped_out", "transferred", "guardian_refused", "no_improvement"]
    /// Agreements expiring within this many days are listed by default (到期提醒).
    public var agreementWarningDays = 90

    /// The built-in defaults.
    public static let `default` = PartnershipConfiguration()

    /// Creates the defaults.
    public init() {}

    /// The response window for a referral's urgency, in milliseconds.
    public func responseWindowMs(urgent: Bool) -> Int64 {
        Int64(urgent ? urgentResponseMinutes : routineResponseMinutes) * 60_000
    }

    /// Reads an already parsed settings file; errors name the key and the problem.
    ///
    /// ```toml
    /// [response]
    /// urgent_minutes = 240
    /// routine_minutes = 4320
    /// [reasons]
    /// decline = ["no_capacity", ...]
    /// unsuccessful = ["dropped_out", ...]
    /// [agreements]
    /// warning_days = 90
    /// ```
    public static func read(_ table: SettingsTable) throws -> PartnershipConfiguration {
        try table.allowOnly(["response", "reasons", "agreements"])
        var config = PartnershipConfiguration.default
        if let response = try table.subtable("response") {
            try response.allowOnly(["urgent_minutes", "routine_minutes"])
            config.urgentResponseMinutes = try response.int("urgent_minutes", in: 1...10_080) ?? config.urgentResponseMinutes
            config.routineResponseMinutes = try response.int("routine_minutes", in: 1...43_200) ?? config.routineResponseMinutes
        }
        if let reasons = try table.subtable("reasons") {
            try reasons.allowOnly(["decline", "unsuccessful"])
            config.declineReasons = try codes(reasons, "decline") ?? config.declineReasons
            config.unsuccessfulReasons = try codes(reasons, "unsuccessful") ?? config.unsuccessfulReasons
        }
        if let agreements = try table.subtable("agreements") {
            try agreements.allowOnly(["warning_days"])
            config.agreementWarningDays = try agreements.int("warning_days", in: 1...366) ?? config.agreementWarningDays
        }
        return config
    }

    private static func codes(_ table: SettingsTable, _ key: String) throws -> [String]? {
        guard let list = try table.strings(key) else { return nil }
        guard !list.isEmpty else { throw table.error(key, "give at least one reason code") }
        for (index, code) in list.enumerated() where code.isEmpty || code.contains(where: { !($0.isLetter || $0.isNumber || $0 == "_") }) {
            throw table.error("\(key)[\(index + 1)]", "\"\(code)\" is not a reason code (letters, digits, _)")
        }
        return list
    }
}
