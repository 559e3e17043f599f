import Foundation

/// A day on the Gregorian calendar, parsed without Foundation's formatters (which are slow
/// enough to matter across a 20,000-row roster, and lenient in ways we do not want).
struct CalendarDate: Comparable, Sendable {
    let year: Int
    let month: Int
    let day: Int

    /// "YYYY-MM-DD", zero-padded.
    var iso: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// True when the month has that day (leap years included).
    var isReal: Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// Today in the server's time zone.
    static func today() -> CalendarDate {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: .current, from: Date())
        return CalendarDate(year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0)
    }

    /// Exactly "YYYY-MM-DD" (the API's form); the date need not be real, see ``isReal``.
    static func parseISO(_ text: String) -> CalendarDate? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return nil }
        guard let y = number(bytes[0..<4]), let m = number(bytes[5..<7]), let d = number(bytes[8..<10]) else { return nil }
        return CalendarDate(year: y, month: m, day: d)
    }

    /// The forms a school's spreadsheet uses: 2011-04-23, 2011-4-23, 2011/4/23, 2011.4.23,
    /// 2011年4月23日 and 20110423, optionally followed by the time Excel adds to a date cell
    /// ("2011/4/23 0:00"). Always year first: 4/23/2011 is ambiguous, so it is refused.
    static func parseLenient(_ input: String) -> CalendarDate? {
        var text = input
        if let space = text.firstIndex(of: " "),
           text[text.index(after: space)...].allSatisfy({ $0 == ":" || ("0"..."9").contains($0) }) {
            text = String(text[..<space])
        }
        let bytes = Array(text.utf8)
        if bytes.count == 8, let y = number(bytes[0..<4]), let m = number(bytes[4..<6]), let d = number(bytes[6..<8]) {
            return CalendarDate(year: y, month: m, day: d)
        }
        var normalised = text
        for separator in ["年", "月", "/", "."] { normalised = normalised.replacingOccurrences(of: separator, with: "-") }
        if normalised.hasSuffix("日") { normalised.removeLast() }
        let parts = normalised.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].utf8.count == 4,
              (1...2).contains(parts[1].utf8.count), (1...2).contains(parts[2].utf8.count),
              let y = number(parts[0].utf8[...]), let m = number(parts[1].utf8[...]), let d = number(parts[2].utf8[...])
        else { return nil }
        return CalendarDate(year: y, month: m, day: d)
    }

    private static func number<C: Collection<UInt8>>(_ bytes: C) -> Int? {
        guard !bytes.isEmpty, bytes.allSatisfy(FieldRules.isDigit) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
}
