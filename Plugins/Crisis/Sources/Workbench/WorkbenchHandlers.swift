import Foundation
import GRDB
import XinyuCrisisAPI
import XinyuPluginSDK

/// ListMyWork: the daily workbench (工作台). Everything the caller owes, most urgent first, from
/// the sources below, each skipped when the caller lacks its permission, each limited by the
/// caller's data scope in SQL. What a psych teacher opens every morning.
struct WorkbenchHandlers: Sendable {
    /// The kinds of work, one file each. Add a source here to put a new kind on the workbench.
    static let sources: [any WorkSource] = [
        CasesToAssignSource(),
        CaseNeedsSource(),
        ReviewsDueSource(),
        SafetyReviewsDueSource(),
        FollowUpsDueSource(),
        ConcernsToAcknowledgeSource(),
        ApprovalsToDecideSource(),
        ReturnsToAssessSource(),
    ]

    func register(_ s: inout ServiceBuilder) {
        s.unary("ListMyWork", permission: CrisisPermissions.caseRead, handler: list)
    }

    @Sendable func list(_ request: Xinyu_Crisis_V1_ListMyWorkRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_ListMyWorkResponse {
        let limit = request.limit == 0 ? 200 : try Require.range("limit", request.limit, 1...1000)
        let caller = WorkbenchCaller(context: context, schoolID: request.schoolID.isEmpty ? nil : request.schoolID)
        let (all, shown, students) = try await context.store.read { db in
            var items = try Self.sources.filter { context.principal.has($0.permission) }.flatMap { try $0.items(db, for: caller) }
            items.sort(by: Self.moreUrgent)
            let shown = Array(items.prefix(limit))
            // Names only for the items returned: one directory query.
            let students = try context.directory.students(Set(shown.map(\.studentID)), in: db)
            return (items.count, shown, students)
        }
        var response = Xinyu_Crisis_V1_ListMyWorkResponse()
        response.total = Int32(all)
        response.today = caller.today.description
        response.timeZone = context.calendar.timeZoneIdentifier
        let formatter = LocalTimeFormatter(timeZone: context.calendar.timeZone)
        response.items = shown.map { item in
            var item = item
            item.overdue = item.dueAtMs > 0 && item.dueAtMs <= caller.nowMs
            item.dueLocal = item.dueAtMs > 0 ? formatter.text(ms: item.dueAtMs) : ""
            // Where the student is now (a transfer moves the work with them), not the row's copy.
            if let student = students[item.studentID] {
                item.studentName = student.name
                item.schoolID = student.schoolID
            }
            return item
        }
        context.touched(subjects: Array(Set(response.items.map(\.studentID))).sorted())
        return response
    }

    /// Deadlines first, soonest (so overdue) first; at the same deadline the more severe level
    /// (1 before 3, none last); then work without a deadline, more severe level first, then
    /// oldest first. Kind and ref break ties so the order is stable.
    static func moreUrgent(_ a: Xinyu_Crisis_V1_WorkItem, _ b: Xinyu_Crisis_V1_WorkItem) -> Bool {
        let aDated = a.dueAtMs > 0, bDated = b.dueAtMs > 0
        if aDated != bDated { return aDated }
        if a.dueAtMs != b.dueAtMs { return a.dueAtMs < b.dueAtMs }
        let aLevel = a.level == 0 ? 4 : a.level, bLevel = b.level == 0 ? 4 : b.level
        if aLevel != bLevel { return aLevel < bLevel }
        if a.sinceMs != b.sinceMs { return a.sinceMs < b.sinceMs }
        if a.kind != b.kind { return a.kind.rawValue < b.kind.rawValue }
        return a.refID < b.refID
    }
}

/// "YYYY-MM-DD HH:MM" in the city's time zone, from calendar arithmetic (no DateFormatter locale).
struct LocalTimeFormatter {
    let calendar: Calendar

    init(timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    func text(ms: Int64) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: Date(timeIntervalSince1970: Double(ms) / 1000))
        return String(format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
    }
}
