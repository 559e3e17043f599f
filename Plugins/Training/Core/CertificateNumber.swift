import XinyuDomainKit

/// The number of a certificate the plugin issues: "XY-<level>-<year>-<six digits>", e.g.
/// "XY-C-2026-000042", from the completion's row id, so it is unique without a counter.
public enum CertificateNumber {
    /// The number for completion `id` at `level` ("C"/"B") issued on `day`.
    public static func make(level: String, issuedOn day: CalendarDay, completionID: Int64) -> String {
        let digits = String(completionID)
        return "XY-\(level)-\(day.year)-\(String(repeating: "0", count: max(0, 6 - digits.count)))\(digits)"
    }

    /// The expiry of a certificate issued on `day` valid `years` years (nil when 0): the day
    /// before the anniversary, 28 February for a 29 February issue in a non-leap year.
    public static func expiry(issuedOn day: CalendarDay, years: Int) -> CalendarDay? {
        guard years > 0 else { return nil }
        let year = day.year + years
        let last = CalendarDay.daysIn(month: day.month, year: year)
        return CalendarDay(year: year, month: day.month, day: min(day.day, last))!.adding(days: -1)
    }
}
