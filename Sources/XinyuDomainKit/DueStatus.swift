/// Where a due day stands against today: the one rule for "overdue / due today / upcoming".
///
/// ```swift
/// let window = DueWindow(today: context.today, upcomingDays: 7)
/// switch window.status(of: followUp.dueOn) {
/// case .overdue(let days): …    // due before today, `days` ago
/// case .dueToday: …
/// case .upcoming(let days): …   // within the next 7 days
/// case .later: …                // not yet worth a reminder
/// }
/// ```
public enum DueStatus: Sendable, Hashable {
    /// The day has passed: due this many days ago (≥ 1).
    case overdue(days: Int)
    /// Due today.
    case dueToday
    /// Due in this many days (1…upcomingDays).
    case upcoming(days: Int)
    /// Due after the upcoming window.
    case later(days: Int)

    /// True for ``overdue(days:)`` and ``dueToday``: a list of things to do now shows these.
    public var isDue: Bool {
        switch self {
        case .overdue, .dueToday: true
        case .upcoming, .later: false
        }
    }
}

/// Today and how far ahead "upcoming" reaches: classifies due days and gives the SQL bound.
public struct DueWindow: Sendable, Hashable {
    /// The city's today (``CityCalendar``).
    public let today: CalendarDay
    /// Days after today that count as upcoming (0: only today and the past).
    public let upcomingDays: Int

    /// A window of `upcomingDays` (≥ 0) after `today`.
    public init(today: CalendarDay, upcomingDays: Int = 0) {
        precondition(upcomingDays >= 0, "upcomingDays must not be negative")
        self.today = today
        self.upcomingDays = upcomingDays
    }

    /// The window a list request asks for with `withinDays`: 0 or less means `defaultDays`,
    /// more than `limit` is `limit` (a request never makes a list unbounded).
    public init(today: CalendarDay, requestedDays: Int, defaultDays: Int = 7, limit: Int = 366) {
        self.init(today: today, upcomingDays: requestedDays <= 0 ? defaultDays : min(requestedDays, limit))
    }

    /// The last day inside the window: rows with `due_on <= lastDay` are due or upcoming
    /// (ISO days compare as text, so this bound works in SQL as it is).
    public var lastDay: CalendarDay { today.adding(days: upcomingDays) }

    /// Where `due` stands today.
    public func status(of due: CalendarDay) -> DueStatus {
        let days = today.days(to: due)
        if days < 0 { return .overdue(days: -days) }
        if days == 0 { return .dueToday }
        return days <= upcomingDays ? .upcoming(days: days) : .later(days: days)
    }

    /// True when `due` is overdue, due today or upcoming within the window.
    public func contains(_ due: CalendarDay) -> Bool { due <= lastDay }

    /// Splits items already inside the window (`due_on <= lastDay`) into overdue ones and the
    /// rest (due today or upcoming), keeping their order. `dueOn` gives an item's ISO day; ISO
    /// days compare as text, the same rule the SQL bound uses.
    public func split<Item>(_ items: [Item], dueOn: (Item) -> String) -> (overdue: [Item], dueOrUpcoming: [Item]) {
        let todayText = today.description
        var overdue: [Item] = []
        var rest: [Item] = []
        for item in items {
            if dueOn(item) < todayText { overdue.append(item) } else { rest.append(item) }
        }
        return (overdue, rest)
    }
}
