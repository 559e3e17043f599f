import XinyuDomainKit

/// Kept, missed and excused duty of a roster over a period, per teacher and for the school.
public struct DutyComplianceFigure: Sendable, Equatable {
    /// The teacher, or "" for the whole school.
    public var teacherID: String
    /// Occurrences that were due (ended, not on a break).
    public var rostered = 0
    /// Of them, with a check-in.
    public var kept = 0
    /// Occurrences on a holiday or term break: not counted.
    public var excused = 0
    /// Rostered without a check-in.
    public var missed: Int { rostered - kept }
    /// kept / rostered; 1 when nothing was rostered.
    public var share: Double { rostered == 0 ? 1 : Double(kept) / Double(rostered) }

    /// An empty figure for `teacherID`.
    public init(teacherID: String) { self.teacherID = teacherID }
}

/// Computes duty compliance from the roster and the check-ins: pure, so the inspection's
/// measured figure and the compliance method give the same answer.
public struct DutyComplianceCalculator: Sendable {
    public let breaks: [DutyBreak]

    /// A calculator that excuses occurrences on `breaks`.
    public init(breaks: [DutyBreak]) { self.breaks = breaks }

    /// The break `day` falls in, if any.
    public func breakOn(_ day: CalendarDay) -> DutyBreak? { breaks.first { $0.contains(day) } }

    /// The figures over `from…to` for `slots`. `kept(slotID, day)` says whether that occurrence
    /// has a check-in. An occurrence counts once it has ended: on `today`, only when its end is
    /// at or before `nowInDay`.
    public func compute(slots: [DutySlotPlan], from: CalendarDay, to: CalendarDay, today: CalendarDay, nowInDay: TimeOfDay,
                        kept: (String, CalendarDay) -> Bool) -> (school: DutyComplianceFigure, teachers: [DutyComplianceFigure]) {
        var school = DutyComplianceFigure(teacherID: "")
        var byTeacher: [String: DutyComplianceFigure] = [:]
        let last = min(to, today)
        for slot in slots {
            var figure = byTeacher[slot.teacherID] ?? DutyComplianceFigure(teacherID: slot.teacherID)
            for day in slot.days(from: from, to: last) {
                if day == today && slot.endsAt > nowInDay { continue }
                if breakOn(day) != nil {
                    figure.excused += 1
                    school.excused += 1
                    continue
                }
                figure.rostered += 1
                school.rostered += 1
                if kept(slot.id, day) {
                    figure.kept += 1
                    school.kept += 1
                }
            }
            byTeacher[slot.teacherID] = figure
        }
        return (school, byTeacher.values.sorted { $0.teacherID < $1.teacherID })
    }
}
