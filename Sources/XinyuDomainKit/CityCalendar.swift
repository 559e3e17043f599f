import Foundation

/// The city's calendar: which ``CalendarDay`` an instant falls on where the schools are.
///
/// "Today" for a review date or a follow-up is today in Ningbo, not in UTC and not in the
/// server's zone: 23:30 UTC on 1 March is already 2 March in Asia/Shanghai. The zone is
/// configuration (`[city] time_zone` in `Config/xinyu.toml`); the host hands it to every plugin,
/// and a handler reads the day through `context.today` (SDK). Day arithmetic itself is on
/// ``CalendarDay`` and never touches a zone, so it cannot drift with daylight saving.
public struct CityCalendar: Sendable, Equatable {
    /// "Asia/Shanghai": the zone a deployment uses unless `city.time_zone` says otherwise.
    public static let defaultTimeZoneIdentifier = "Asia/Shanghai"

    /// The default city calendar (Asia/Shanghai).
    public static let shanghai = CityCalendar(
        identifier: defaultTimeZoneIdentifier, zone: TimeZone(identifier: defaultTimeZoneIdentifier) ?? TimeZone(secondsFromGMT: 8 * 3600)!)

    /// The zone's name as configured (e.g. "Asia/Shanghai"; Foundation may call "UTC" "GMT").
    public let timeZoneIdentifier: String
    /// The city's time zone.
    public let timeZone: TimeZone
    private let calendar: Calendar

    /// The calendar of the IANA zone `identifier` (e.g. "Asia/Shanghai"); nil for an unknown zone.
    public init?(timeZoneIdentifier identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.init(identifier: identifier, zone: zone)
    }

    private init(identifier: String, zone: TimeZone) {
        self.timeZoneIdentifier = identifier
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.timeZone = zone
        self.calendar = calendar
    }

    /// The day `date` falls on in the city.
    public func day(of date: Date) -> CalendarDay {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        guard let year = parts.year, let month = parts.month, let dayOfMonth = parts.day,
              let day = CalendarDay(year: year, month: month, day: dayOfMonth)
        else { preconditionFailure("the calendar produced an invalid day \(parts)") }
        return day
    }

    /// The instant the city's `day` starts (local midnight).
    public func start(of day: CalendarDay) -> Date {
        let parts = DateComponents(year: day.year, month: day.month, day: day.day)
        guard let date = calendar.date(from: parts) else { preconditionFailure("no midnight for \(day)") }
        return date
    }

    /// Same zone name.
    public static func == (lhs: CityCalendar, rhs: CityCalendar) -> Bool { lhs.timeZoneIdentifier == rhs.timeZoneIdentifier }
}
