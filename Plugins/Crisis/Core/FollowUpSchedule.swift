import XinyuDomainKit
/// Plans periodic follow-ups (定期随访): reviews of a warning, visits after a
/// return to school (复学).
public struct FollowUpSchedule: Sendable {
    /// The `count` dates `intervalDays` apart after `start`: start + interval,
    /// start + 2 × interval, …. `start` itself is not included (it is the day
    /// of the event being followed up). Empty when `intervalDays` or `count` is not positive.
    public static func dates(start: CalendarDay, intervalDays: Int, count: Int) -> [CalendarDay] {
        guard intervalDays > 0, count > 0 else { return [] }
        return (1...count).map { start.adding(days: $0 * intervalDays) }
    }
}
