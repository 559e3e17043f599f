import XinyuDomainKit

/// One weekly duty slot of a roster (值班): a teacher at a room on one weekday, every week from
/// `from` until `until` (or for good), except on the city's breaks.
public struct DutySlotPlan: Sendable, Hashable {
    public let id: String
    public let teacherID: String
    /// 1 = Monday … 7 = Sunday.
    public let weekday: Int
    public let startsAt: TimeOfDay
    public let endsAt: TimeOfDay
    public let from: CalendarDay
    public let until: CalendarDay?

    /// Creates a slot.
    public init(id: String, teacherID: String, weekday: Int, startsAt: TimeOfDay, endsAt: TimeOfDay, from: CalendarDay, until: CalendarDay?) {
        self.id = id
        self.teacherID = teacherID
        self.weekday = weekday
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.from = from
        self.until = until
    }

    /// The first day on or after `day` on which the slot repeats (ignoring breaks), or nil
    /// when the slot has ended by then.
    public func nextDay(onOrAfter day: CalendarDay) -> CalendarDay? {
        let start = max(day, from)
        let candidate = start.adding(days: (weekday - start.isoWeekday + 7) % 7)
        if let until, candidate > until { return nil }
        return candidate
    }

    /// Every day in `from…to` (both included) on which the slot repeats, breaks included.
    public func days(from first: CalendarDay, to last: CalendarDay) -> [CalendarDay] {
        var result: [CalendarDay] = []
        var next = nextDay(onOrAfter: first)
        while let day = next, day <= last {
            result.append(day)
            next = nextDay(onOrAfter: day.adding(days: 1))
        }
        return result
    }
}
