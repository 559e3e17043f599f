import XinyuDomainKit

/// One stored change of a student's warning level, on the city's calendar (input to ``LevelInPeriod``).
public struct LevelChangeFact: Sendable, Equatable {
    /// The day of the change in the city's time zone.
    public var day: CalendarDay
    public var fromLevel: Int
    public var toLevel: Int
    /// How the level was reached (the export's reason column).
    public var explanation: String

    /// Creates a fact.
    public init(day: CalendarDay, fromLevel: Int, toLevel: Int, explanation: String) {
        self.day = day
        self.fromLevel = fromLevel
        self.toLevel = toLevel
        self.explanation = explanation
    }
}

/// How a student's level moved within a reporting period (the export's `change` column).
public enum PeriodChange: String, Sendable, CaseIterable {
    /// At the same level before and throughout the period.
    case none
    /// Not in the warning database the day before the period, at a level on its last day.
    case new
    /// More severe on the last day than the day before the period (e.g. 3 → 1).
    case raised
    /// Less severe on the last day than the day before the period (e.g. 1 → 3).
    case lowered
    /// The same level at both ends, but it moved within the period.
    case changed
    /// Removed from the warning database (解除预警) within the period: level 0 on its last day.
    case removed
}

/// A student's warning level as it stood on the last day of a reporting period, replayed from
/// the level history, so an export for a past period says what was true then.
public struct LevelInPeriod: Sendable, Equatable {
    /// The level on the last day: 1–3, or 0 for a student removed within the period.
    public var level: Int
    /// The day the student entered that level (for a removed student: the day of removal).
    public var since: CalendarDay
    /// The explanation of the last change on or before the last day.
    public var explanation: String
    public var change: PeriodChange

    /// Creates a value (tests compare with it).
    public init(level: Int, since: CalendarDay, explanation: String, change: PeriodChange) {
        self.level = level
        self.since = since
        self.explanation = explanation
        self.change = change
    }

    /// The student's place in a report for `from`…`to` (inclusive), from their level changes
    /// oldest first; nil when they are not reported: at level 0 on `to` and not removed within
    /// the period (never warned, removed before it, or only warned after it).
    public static func replay(_ changes: [LevelChangeFact], from: CalendarDay, to: CalendarDay) -> LevelInPeriod? {
        var before = 0
        var level = 0
        var since = from
        var explanation = ""
        var movedWithin = false
        var removedWithin = false
        for change in changes where change.day <= to {
            if change.day < from {
                before = change.toLevel
            } else if change.toLevel != level {
                movedWithin = true
                if change.toLevel == 0 { removedWithin = true }
            }
            if change.toLevel != level { since = change.day }
            level = change.toLevel
            explanation = change.explanation
        }
        guard level > 0 || removedWithin else { return nil }
        let kind: PeriodChange
        if level == 0 {
            kind = .removed
        } else if before == 0 {
            kind = .new
        } else if level < before {
            kind = .raised
        } else if level > before {
            kind = .lowered
        } else {
            kind = movedWithin ? .changed : .none
        }
        return LevelInPeriod(level: level, since: since, explanation: explanation, change: kind)
    }
}
