import XinyuDomainKit

/// A stretch of the city's school calendar with no duty: a public holiday or a term break
/// (寒暑假), both days included. Duty slots that fall in one are excused, not missed.
public struct DutyBreak: Sendable, Hashable {
    /// Shown in reports, e.g. "寒假".
    public let name: String
    public let from: CalendarDay
    public let to: CalendarDay

    /// Creates a break; `to` on or after `from`.
    public init(name: String, from: CalendarDay, to: CalendarDay) {
        self.name = name
        self.from = from
        self.to = to
    }

    /// True when `day` falls in the break.
    public func contains(_ day: CalendarDay) -> Bool { from <= day && day <= to }
}
