import XinyuDomainKit

/// The city's school year: from a fixed month and day to the day before it a year later. A
/// school year is named by the year it starts in (2026 = 2026-09-01 … 2027-08-31).
public struct SchoolYear: Sendable, Equatable {
    /// 1…12.
    public let startMonth: Int
    /// 1…28, so that every year has the day.
    public let startDay: Int

    /// Creates a school year rule; the caller checks the ranges (settings parsing does).
    public init(startMonth: Int, startDay: Int) {
        self.startMonth = startMonth
        self.startDay = startDay
    }

    /// The school year `day` falls in, by its start year.
    public func year(of day: CalendarDay) -> Int {
        (day.month, day.day) >= (startMonth, startDay) ? day.year : day.year - 1
    }

    /// The first and last day of the school year that starts in `year`.
    public func days(of year: Int) -> (first: CalendarDay, last: CalendarDay) {
        let first = CalendarDay(year: year, month: startMonth, day: startDay)!
        let next = CalendarDay(year: year + 1, month: startMonth, day: startDay)!
        return (first, next.adding(days: -1))
    }
}
