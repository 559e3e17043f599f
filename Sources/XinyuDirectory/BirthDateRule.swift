import XinyuPluginSDK

/// Birth dates: a real day, not in the future, not absurdly old.
enum BirthDateRule {
    /// Nothing earlier is a plausible birth date of anyone in the directory.
    static let earliestYear = 1900

    /// The problem with an ISO "YYYY-MM-DD" birth date, or nil when it is fine.
    static func problem(iso text: String, today: CalendarDay) -> String? {
        if text.isEmpty { return "is required (YYYY-MM-DD)" }
        guard let date = CalendarDay(text) else { return "'\(text)' is not a date (use YYYY-MM-DD)" }
        return problem(date, as: text, today: today)
    }

    /// Reads a spreadsheet's date in any form ``CalendarDay/spreadsheetParts(_:)`` accepts and
    /// returns it as ISO, or the problem.
    static func normalise(_ text: String, today: CalendarDay) -> Result<String, FieldProblemText> {
        if text.isEmpty { return .failure(FieldProblemText("is required (YYYY-MM-DD)")) }
        guard let parts = CalendarDay.spreadsheetParts(text) else {
            return .failure(FieldProblemText("'\(text)' is not a date (use YYYY-MM-DD, YYYY/M/D or YYYYMMDD, year first)"))
        }
        guard let date = parts.calendarDay else { return .failure(FieldProblemText("'\(text)' is not a date (use YYYY-MM-DD)")) }
        if let problem = problem(date, as: text, today: today) { return .failure(FieldProblemText(problem)) }
        return .success(date.description)
    }

    private static func problem(_ date: CalendarDay, as text: String, today: CalendarDay) -> String? {
        if today < date { return "'\(text)' is in the future" }
        if date.year < earliestYear { return "'\(text)' is before \(earliestYear)" }
        return nil
    }
}

/// A problem's words, as the failure of a parse.
struct FieldProblemText: Error, Sendable {
    let text: String
    init(_ text: String) { self.text = text }
}
