import Foundation
import Testing
@testable import XinyuCrisisCore
import XinyuDomainKit

@Suite("CalendarDay and FollowUpSchedule")
struct CalendarDayTests {
    @Test("invalid dates are rejected", arguments: [
        "2009-02-30", "2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31",
        "2024-1-01", "2024/01/01", "20240101", "", "２０２４-01-01", "0000-01-01", "2024-01-32",
    ])
    func rejected(text: String) {
        #expect(CalendarDay(text) == nil)
    }

    @Test("real dates are accepted", arguments: ["2024-02-29", "2000-02-29", "2009-02-28", "2024-12-31", "0001-01-01"])
    func accepted(text: String) throws {
        let day = try #require(CalendarDay(text))
        #expect(day.description == text)
    }

    @Test("leap years", arguments: [(2024, true), (2000, true), (1900, false), (2023, false), (2100, false)])
    func leap(year: Int, isLeap: Bool) {
        #expect(CalendarDay.isLeap(year) == isLeap)
    }

    @Test("adding days crosses months, years and leap days", arguments: [
        ("2024-02-28", 1, "2024-02-29"), ("2024-02-29", 1, "2024-03-01"), ("2023-02-28", 1, "2023-03-01"),
        ("2024-12-31", 1, "2025-01-01"), ("2025-01-01", -1, "2024-12-31"), ("2024-01-31", 30, "2024-03-01"),
        ("2024-03-01", 365, "2025-03-01"), ("2000-01-01", 0, "2000-01-01"),
    ])
    func adding(start: String, days: Int, expected: String) throws {
        let day = try #require(CalendarDay(start))
        #expect(day.adding(days: days).description == expected)
        #expect(day.days(to: day.adding(days: days)) == days)
    }

    @Test("ordering and Codable")
    func orderingAndCodable() throws {
        let a = try #require(CalendarDay("2024-09-01"))
        let b = try #require(CalendarDay("2024-10-01"))
        #expect(a < b)
        let json = try JSONEncoder().encode([a])
        #expect(String(decoding: json, as: UTF8.self) == "[\"2024-09-01\"]")
        #expect(try JSONDecoder().decode([CalendarDay].self, from: json) == [a])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CalendarDay].self, from: Data("[\"2009-02-30\"]".utf8)) }
    }

    @Test("follow-up dates")
    func schedule() throws {
        let start = try #require(CalendarDay("2024-02-15"))
        #expect(FollowUpSchedule.dates(start: start, intervalDays: 7, count: 3).map(\.description) == ["2024-02-22", "2024-02-29", "2024-03-07"])
        #expect(FollowUpSchedule.dates(start: start, intervalDays: 30, count: 1).map(\.description) == ["2024-03-16"])
        #expect(FollowUpSchedule.dates(start: start, intervalDays: 0, count: 3).isEmpty)
        #expect(FollowUpSchedule.dates(start: start, intervalDays: 7, count: 0).isEmpty)
    }
}
