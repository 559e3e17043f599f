import Foundation
import GRDB
import XinyuCrisisAPI
import XinyuPluginSDK

/// One kind of work the workbench (ListMyWork) gathers: cases to assign, reviews due, …. Each
/// source lives in a file of its own and answers with one indexed query; a new kind of work
/// plugs in by adding a source to `WorkbenchHandlers.sources`.
protocol WorkSource: Sendable {
    /// The permission a caller needs to owe this kind of work; without it the source is skipped.
    var permission: String { get }
    /// The caller's items of this kind (unsorted; the workbench sorts them all together).
    func items(_ db: Database, for caller: WorkbenchCaller) throws -> [Xinyu_Crisis_V1_WorkItem]
}

/// Who is asking, as every source needs it: identity, scope, the optional school and the city's clock.
///
/// A caller with a city-wide scope (the growth centre) owes only what is on the city's list or
/// their own: city-tier cases without an owner, concerns escalated to the growth centre, and the
/// reviews and follow-ups of cases they own. Everyone else owes what is in their scope and
/// not owned by someone else.
struct WorkbenchCaller: Sendable {
    let context: CallContext
    /// The caller's staff id, as case owners and psych leads are stored ("P001").
    let staffID: String
    /// The caller's principal id, as requesters are stored ("staff:P001").
    let principalID: String
    /// True for a city-wide scope.
    let cityWide: Bool
    /// Only this school, when the request named one.
    let schoolID: String?
    let nowMs: Int64
    let today: CalendarDay

    init(context: CallContext, schoolID: String?) {
        self.context = context
        self.staffID = context.staffID
        self.principalID = context.principal.id
        self.cityWide = context.crisisScope("x").isUnrestricted
        self.schoolID = schoolID
        self.nowMs = context.nowMs
        self.today = context.today
    }

    /// The scope predicate over a crisis table aliased `alias`, narrowed to the requested school.
    func scope(_ alias: String) -> (sql: String, arguments: StatementArguments) {
        let filter = context.crisisScope(alias)
        guard let schoolID else { return (filter.sql, filter.arguments) }
        // The school the student is in now (the directory), not the row's copy: a transfer moves the work.
        return ("\(filter.sql) AND \(context.crisisSchoolFilter(alias))", filter.arguments + [schoolID])
    }

    /// The moment a day-based deadline ("YYYY-MM-DD") passes: the start of the next day in the
    /// city's time zone. Nil for an empty or malformed day.
    func endOfDayMs(_ day: String) -> Int64? {
        CalendarDay(day).map { Self.ms(context.calendar.start(of: $0.adding(days: 1))) }
    }

    /// The start of a day in the city's time zone.
    func startOfDayMs(_ day: String) -> Int64? {
        CalendarDay(day).map { Self.ms(context.calendar.start(of: $0)) }
    }

    static func ms(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
}

extension Xinyu_Crisis_V1_WorkItem {
    /// An item; `overdue` and `due_local` are filled in by the workbench.
    static func make(_ kind: Xinyu_Crisis_V1_WorkKind, ref: String, student: String, school: String, level: Int,
                     dueAtMs: Int64, sinceMs: Int64, what: String) -> Self {
        var item = Self()
        item.kind = kind
        item.refID = ref
        item.studentID = student
        item.schoolID = school
        item.level = Int32(level)
        item.dueAtMs = dueAtMs
        item.sinceMs = sinceMs
        item.what = what
        return item
    }
}
