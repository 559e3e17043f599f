import Foundation
import GRDB
import XinyuFacilitiesAPI
import XinyuFacilitiesCore
import XinyuPluginSDK

/// Duty compliance of one school over a period, from its roster and check-ins: used by
/// GetDutyCompliance and as the measured figure of an inspection.
struct DutyComplianceQuery: Sendable {
    let configuration: FacilitiesConfiguration

    func figures(_ db: Database, schoolID: String, teacherID: String = "", from: CalendarDay, to: CalendarDay,
                 context: CallContext) throws -> (school: DutyComplianceFigure, teachers: [DutyComplianceFigure]) {
        let slots = try DutySlotRecord.ofSchool(db, schoolID: schoolID).filter { teacherID.isEmpty || $0.teacherID == teacherID }
        let kept = Set(try Row.fetchAll(db, sql: """
            SELECT c.slot_id, c.day FROM facilities_duty_checkins c JOIN facilities_duty_slots s ON s.id = c.slot_id
            WHERE s.school_id = ? AND c.day BETWEEN ? AND ?
            """, arguments: [schoolID, from.description, to.description]).map { "\($0["slot_id"] as Int64) \($0["day"] as String)" })
        let today = context.today
        let nowInDay = TimeOfDay(seconds: Int(context.now.timeIntervalSince(context.calendar.start(of: today))))
        return DutyComplianceCalculator(breaks: configuration.dutyBreaks)
            .compute(slots: slots.map(\.plan), from: from, to: to, today: today, nowInDay: nowInDay) { kept.contains("\($0) \($1)") }
    }
}

extension DutyComplianceFigure {
    var message: Xinyu_Facilities_V1_ComplianceFigure {
        var figure = Xinyu_Facilities_V1_ComplianceFigure()
        figure.teacherID = teacherID
        figure.rostered = Int32(rostered)
        figure.kept = Int32(kept)
        figure.missed = Int32(missed)
        figure.excused = Int32(excused)
        figure.share = share
        return figure
    }
}
