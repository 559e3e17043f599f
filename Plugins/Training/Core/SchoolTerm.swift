import Foundation
import XinyuDomainKit

/// A school term: the first runs 1 September – 31 January ("2025-2026-1"), the second
/// 1 February – 31 August ("2025-2026-2").
public struct SchoolTerm: Sendable, Hashable, CustomStringConvertible {
    /// The calendar year the school year starts in (2025 for 2025-2026).
    public let startYear: Int
    /// 1 or 2.
    public let number: Int

    /// The term `day` falls in.
    public init(containing day: CalendarDay) {
        if day.month >= 9 {
            startYear = day.year
            number = 1
        } else if day.month == 1 {
            startYear = day.year - 1
            number = 1
        } else {
            startYear = day.year - 1
            number = 2
        }
    }

    /// Parses "2025-2026-1"; nil when it is not a term name.
    public init?(_ text: String) {
        let parts = text.split(separator: "-").map(String.init)
        guard parts.count == 3, let first = Int(parts[0]), let second = Int(parts[1]), second == first + 1,
              let number = Int(parts[2]), number == 1 || number == 2, (1900...9999).contains(first)
        else { return nil }
        startYear = first
        self.number = number
    }

    /// "2025-2026-1".
    public var description: String { "\(startYear)-\(startYear + 1)-\(number)" }

    /// The term's first day.
    public var firstDay: CalendarDay {
        number == 1 ? CalendarDay(year: startYear, month: 9, day: 1)! : CalendarDay(year: startYear + 1, month: 2, day: 1)!
    }

    /// The term's last day.
    public var lastDay: CalendarDay {
        number == 1 ? CalendarDay(year: startYear + 1, month: 1, day: 31)! : CalendarDay(year: startYear + 1, month: 8, day: 31)!
    }

    /// The months of the term up to and including the month of `through` ("2026-03"), in order.
    public func months(through: CalendarDay) -> [String] {
        var months: [String] = []
        var year = firstDay.year
        var month = firstDay.month
        while CalendarDay(year: year, month: month, day: 1)! <= min(lastDay, through) {
            months.append(String(format: "%04d-%02d", year, month))
            month += 1
            if month == 13 { month = 1; year += 1 }
        }
        return months
    }
}
