import Foundation

extension CalendarDay {
    /// Year, month and day as written, before checking that the date exists.
    public struct WrittenParts: Sendable, Equatable {
        /// The year as written.
        public let year: Int
        /// The month as written (may be 13).
        public let month: Int
        /// The day as written (may be 30 February).
        public let day: Int

        /// The real day, or nil when the month has no such day.
        public var calendarDay: CalendarDay? { CalendarDay(year: year, month: month, day: day) }
    }

    /// Reads the forms a school's spreadsheet uses: 2011-04-23, 2011-4-23, 2011/4/23, 2011.4.23,
    /// 2011年4月23日 and 20110423, optionally followed by the time Excel adds to a date cell
    /// ("2011/4/23 0:00"). Always year first: 4/23/2011 is ambiguous, so it is refused (nil).
    /// The parts need not name a real day, so a caller can say "not a date" and "unreadable"
    /// apart; ``WrittenParts/calendarDay`` checks it.
    public static func spreadsheetParts(_ input: String) -> WrittenParts? {
        var text = input
        if let space = text.firstIndex(of: " "),
           text[text.index(after: space)...].allSatisfy({ $0 == ":" || ("0"..."9").contains($0) }) {
            text = String(text[..<space])
        }
        let bytes = Array(text.utf8)
        if bytes.count == 8, let y = number(bytes[0..<4]), let m = number(bytes[4..<6]), let d = number(bytes[6..<8]) {
            return WrittenParts(year: y, month: m, day: d)
        }
        var normalised = text
        for separator in ["年", "月", "/", "."] { normalised = normalised.replacingOccurrences(of: separator, with: "-") }
        if normalised.hasSuffix("日") { normalised.removeLast() }
        let parts = normalised.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].utf8.count == 4,
              (1...2).contains(parts[1].utf8.count), (1...2).contains(parts[2].utf8.count),
              let y = number(parts[0].utf8[...]), let m = number(parts[1].utf8[...]), let d = number(parts[2].utf8[...])
        else { return nil }
        return WrittenParts(year: y, month: m, day: d)
    }

    private static func number<C: Collection<UInt8>>(_ bytes: C) -> Int? {
        guard !bytes.isEmpty, bytes.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
}
