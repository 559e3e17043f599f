import XinyuDomainKit

extension CalendarDay {
    /// 2024-01-01, a Monday: the anchor weekdays are counted from, with no time zone involved.
    private static let knownMonday = CalendarDay(year: 2024, month: 1, day: 1)!

    /// The ISO weekday: 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int {
        let offset = Self.knownMonday.days(to: self) % 7
        return (offset + 7) % 7 + 1
    }
}
