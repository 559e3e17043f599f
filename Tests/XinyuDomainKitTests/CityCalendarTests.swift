import Foundation
import Testing
import XinyuDomainKit

@Suite("CityCalendar and CalendarDay: days in the city, arithmetic without zones")
struct CityCalendarTests {
    /// 2026-03-01 23:30 UTC.
    static let lateEvening = Date(timeIntervalSince1970: 1_772_407_800)

    @Test("23:30 UTC is already the next day in Shanghai")
    func shanghaiBoundary() throws {
        #expect(CityCalendar.shanghai.day(of: Self.lateEvening) == CalendarDay("2026-03-02"))
        let utc = try #require(CityCalendar(timeZoneIdentifier: "UTC"))
        #expect(utc.day(of: Self.lateEvening) == CalendarDay("2026-03-01"))
        // 15:59:59 UTC is the last second of the Shanghai day, 16:00 the first of the next.
        let lastSecond = CityCalendar.shanghai.start(of: CalendarDay("2026-03-02")!).addingTimeInterval(-1)
        #expect(CityCalendar.shanghai.day(of: lastSecond) == CalendarDay("2026-03-01"))
        #expect(CityCalendar.shanghai.start(of: CalendarDay("2026-03-02")!) == Date(timeIntervalSince1970: 1_772_380_800))
    }

    @Test("an unknown zone is refused; Asia/Shanghai is the default")
    func zones() {
        #expect(CityCalendar(timeZoneIdentifier: "Mars/Olympus") == nil)
        #expect(CityCalendar.shanghai.timeZoneIdentifier == CityCalendar.defaultTimeZoneIdentifier)
    }

    @Test("day arithmetic ignores daylight saving: a 23-hour local day is still one day")
    func dstFree() throws {
        let newYork = try #require(CityCalendar(timeZoneIdentifier: "America/New_York"))
        let before = try #require(CalendarDay("2026-03-07"))
        let after = before.adding(days: 2)  // across the spring-forward night of 8 March
        #expect(after == CalendarDay("2026-03-09"))
        #expect(before.days(to: after) == 2)
        // Local midnights 2 days apart are 47 hours apart, yet each maps back to its own day.
        let hours = newYork.start(of: after).timeIntervalSince(newYork.start(of: before)) / 3600
        #expect(hours == 47)
        #expect(newYork.day(of: newYork.start(of: after)) == after)
        #expect(CalendarDay("2024-02-28")!.adding(days: 1) == CalendarDay("2024-02-29"))
        #expect(CalendarDay("2023-12-31")!.adding(days: 366) == CalendarDay("2024-12-31"))
    }

    @Test("spreadsheet dates: the forms schools write, year first; impossible days are told apart")
    func spreadsheet() {
        for text in ["2011-04-23", "2011-4-23", "2011/4/23", "2011.4.23", "2011年4月23日", "20110423", "2011/4/23 0:00"] {
            #expect(CalendarDay.spreadsheetParts(text)?.calendarDay == CalendarDay("2011-04-23"), "\(text)")
        }
        #expect(CalendarDay.spreadsheetParts("4/23/2011") == nil)
        let impossible = CalendarDay.spreadsheetParts("2011/2/30")
        #expect(impossible != nil)
        #expect(impossible?.calendarDay == nil)
    }
}

@Suite("DueWindow: overdue, due today, upcoming within N days")
struct DueWindowTests {
    let window = DueWindow(today: CalendarDay("2026-03-10")!, upcomingDays: 7)

    @Test("boundaries: yesterday overdue, today due, day 7 upcoming, day 8 later")
    func boundaries() {
        #expect(window.status(of: CalendarDay("2026-03-09")!) == .overdue(days: 1))
        #expect(window.status(of: CalendarDay("2026-03-10")!) == .dueToday)
        #expect(window.status(of: CalendarDay("2026-03-11")!) == .upcoming(days: 1))
        #expect(window.status(of: CalendarDay("2026-03-17")!) == .upcoming(days: 7))
        #expect(window.status(of: CalendarDay("2026-03-18")!) == .later(days: 8))
        #expect(window.lastDay == CalendarDay("2026-03-17"))
        #expect(window.contains(CalendarDay("2026-03-17")!))
        #expect(!window.contains(CalendarDay("2026-03-18")!))
        #expect(DueStatus.dueToday.isDue && DueStatus.overdue(days: 3).isDue && !DueStatus.upcoming(days: 1).isDue)
    }

    @Test("a request's within_days: 0 means the default 7, a huge one is capped at 366")
    func requested() {
        let today = CalendarDay("2026-03-10")!
        #expect(DueWindow(today: today, requestedDays: 0).upcomingDays == 7)
        #expect(DueWindow(today: today, requestedDays: -3).upcomingDays == 7)
        #expect(DueWindow(today: today, requestedDays: 30).upcomingDays == 30)
        #expect(DueWindow(today: today, requestedDays: 100_000).upcomingDays == 366)
    }

    @Test("split keeps order: overdue before today, the rest due today or upcoming")
    func split() {
        let (overdue, rest) = window.split(["2026-03-01", "2026-03-10", "2026-03-09", "2026-03-12"]) { $0 }
        #expect(overdue == ["2026-03-01", "2026-03-09"])
        #expect(rest == ["2026-03-10", "2026-03-12"])
    }
}
