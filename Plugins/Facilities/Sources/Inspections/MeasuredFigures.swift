import Foundation
import GRDB
import XinyuFacilitiesAPI
import XinyuFacilitiesCore
import XinyuPluginSDK

/// The figures an inspector sees beside their findings, measured rather than typed in: duty
/// compliance from this plugin's roster and check-ins over the period before the inspection,
/// archive completeness from the crisis plugin through the host (`context.call`).
struct MeasuredFigures: Sendable {
    let configuration: FacilitiesConfiguration
    static let archiveMethod = "xinyu.crisis.v1.Crisis/GetArchiveCompleteness"

    /// Measures the figures the template's items name. The crisis plugin being down or not
    /// enabled leaves that figure unavailable with the reason, rather than failing the inspection.
    func measure(schoolID: String, date: CalendarDay, template: ChecklistDefinition, context: CallContext) async throws -> [MeasuredValue] {
        let wanted = Set(template.items.map(\.measure))
        var values: [MeasuredValue] = []
        if wanted.contains("duty_compliance") {
            let from = date.adding(days: -(configuration.measuredPeriodDays - 1))
            let figure = try await context.store.read { db in
                try DutyComplianceQuery(configuration: configuration).figures(db, schoolID: schoolID, from: from, to: date, context: context).school
            }
            values.append(MeasuredValue(measure: "duty_compliance", available: true, share: figure.share,
                                        detail: "\(figure.kept)/\(figure.rostered) duties kept \(from)–\(date), \(figure.excused) excused",
                                        counts: ["rostered": figure.rostered, "kept": figure.kept, "excused": figure.excused],
                                        from: from.description, to: date.description))
        }
        if wanted.contains("archive_completeness") {
            var request = Xinyu_Facilities_V1_CrisisArchiveCompletenessRequest()
            request.schoolID = schoolID
            do {
                let reply = try await context.call(Self.archiveMethod, request, as: Xinyu_Facilities_V1_CrisisArchiveCompleteness.self, timeout: .seconds(5))
                values.append(MeasuredValue(measure: "archive_completeness", available: true, share: reply.share,
                                            detail: "\(reply.complete)/\(reply.students) students complete; \(reply.missingScreening) without screening, \(reply.missingPlan) at a warning level without a plan",
                                            counts: ["students": Int(reply.students), "complete": Int(reply.complete),
                                                     "missing_screening": Int(reply.missingScreening), "missing_plan": Int(reply.missingPlan)]))
            } catch let error as RPCError where [.unavailable, .failedPrecondition, .unimplemented, .deadlineExceeded].contains(error.code) {
                values.append(MeasuredValue(measure: "archive_completeness", available: false, share: 0, detail: "not measured: crisis plugin answered \(error.code)"))
            }
        }
        return values
    }
}
