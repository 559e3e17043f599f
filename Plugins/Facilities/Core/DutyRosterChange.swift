import XinyuDomainKit

/// The rule for ending or changing a duty slot from a day on: the past stays as it was. An
/// occurrence that has already ended was judged (kept, missed or excused) and counts in duty
/// compliance, so a change may take effect only after the slot's last ended occurrence.
public enum DutyRosterChange {
    /// Why a change cannot take effect from the day asked.
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public let description: String
        /// A refusal saying why.
        public init(description: String) { self.description = description }
    }

    /// The slot's latest occurrence that has ended by now (`today` at `nowInDay`), or nil when
    /// none has. An occurrence today counts once its end time has passed.
    public static func lastEndedDay(of slot: DutySlotPlan, today: CalendarDay, nowInDay: TimeOfDay) -> CalendarDay? {
        let recent = slot.days(from: today.adding(days: -7), to: today).filter { $0 < today || slot.endsAt <= nowInDay }
        return recent.last
    }

    /// The slot's new last day (`until`) when it no longer runs from `effective` on: the day
    /// before. Refused when an occurrence on or after `effective` has already ended, or when the
    /// slot ends before `effective` anyway.
    public static func until(endingFrom effective: CalendarDay, slot: DutySlotPlan, today: CalendarDay, nowInDay: TimeOfDay) throws -> CalendarDay {
        if let until = slot.until, effective > until {
            throw Refusal(description: "slot \(slot.id) already ends on \(until)")
        }
        if let last = lastEndedDay(of: slot, today: today, nowInDay: nowInDay), effective <= last {
            throw Refusal(description: "the occurrence of slot \(slot.id) on \(last) has already ended and counts as it was; a change takes effect from \(last.adding(days: 1)) at the earliest")
        }
        return effective.adding(days: -1)
    }
}

extension DutySlotPlan {
    /// True when the slot repeats on `day` (breaks included).
    public func occurs(on day: CalendarDay) -> Bool { nextDay(onOrAfter: day) == day }

    /// The same slot with a new last day.
    public func ending(on day: CalendarDay) -> DutySlotPlan {
        DutySlotPlan(id: id, teacherID: teacherID, weekday: weekday, startsAt: startsAt, endsAt: endsAt, from: from, until: day)
    }
}
