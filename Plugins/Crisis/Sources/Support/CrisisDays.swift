import Foundation
import XinyuCrisisCore
import XinyuPluginSDK

/// Calendar days as the city lives them (Asia/Shanghai), from the call's clock.
enum CrisisDays {
    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!
        return calendar
    }()

    /// The day `date` falls on in the city.
    static func day(_ date: Date) -> CalendarDay {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        guard let year = c.year, let month = c.month, let dayOfMonth = c.day,
              let day = CalendarDay(year: year, month: month, day: dayOfMonth)
        else { preconditionFailure("the calendar produced an invalid day \(c)") }
        return day
    }

    /// Today in the city, by the call's clock (so tests control it).
    static func today(_ context: CallContext) -> CalendarDay { day(context.now) }

    /// Parses an ISO date field; empty gives `fallback`, or an error when there is none.
    static func parse(_ field: String, _ value: String, default fallback: CalendarDay? = nil) throws -> CalendarDay {
        if value.isEmpty {
            guard let fallback else { throw RPCError.invalidField(field, "is required (YYYY-MM-DD)") }
            return fallback
        }
        guard let day = CalendarDay(value) else {
            throw RPCError.invalidField(field, "\"\(value)\" is not a date (YYYY-MM-DD)")
        }
        return day
    }
}
