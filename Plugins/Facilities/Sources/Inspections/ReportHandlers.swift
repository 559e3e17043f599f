import GRDB
import XinyuFacilitiesAPI
import XinyuFacilitiesCore
import XinyuPluginSDK

/// GetInspectionReport: the printable report of one inspection, an HTML page in Chinese with the
/// school, each item's score beside its measured figure, the findings and the tasks.
struct ReportHandlers: Sendable {
    static let measureLabels = ["duty_compliance": "值班履职率", "archive_completeness": "学生心理档案完整率"]

    /// The figure beside an item's score: the share, "无排班" when no duty was rostered, "未测得".
    static func short(_ value: MeasuredValue) -> String {
        guard value.available else { return "未测得" }
        if value.measure == "duty_compliance", value.counts?["rostered"] == 0 { return "无排班" }
        return MeasuredFigureText.percent(value.share)
    }

    func register(_ s: inout ServiceBuilder) {
        s.unary("GetInspectionReport", permission: FacilitiesPermissions.read, handler: report)
    }

    @Sendable func report(_ request: Xinyu_Facilities_V1_GetInspectionReportRequest, _ context: CallContext) async throws -> Xinyu_Facilities_V1_InspectionReport {
        let id = try SchoolAccess.number(request.inspectionID, field: "inspection_id")
        let today = context.today
        return try await context.store.read { db in
            guard let record = try InspectionRecord.find(db, id: id) else { throw RPCError(.notFound, "field inspection_id: no inspection \(id)") }
            let school = try SchoolAccess.visible(db, id: record.schoolID, field: "inspection_id", context: context)
            guard let template = try TemplateStore.load(db, id: record.templateID, version: record.templateVersion) else {
                throw RPCError(.internal, "template \(record.templateID) v\(record.templateVersion) is missing")
            }
            let inspection = try InspectionView.message(db, record, context: context)
            let findings = Dictionary(inspection.findings.map { ($0.itemID, $0) }, uniquingKeysWith: { first, _ in first })
            let stored = (try? JSONColumn.value([MeasuredValue].self, from: record.measured)) ?? []
            let measured = Dictionary(stored.map { ($0.measure, $0) }, uniquingKeysWith: { first, _ in first })
            var tasks: [InspectionReportContent.Task] = []
            for task in try InspectionView.tasks(db, inspectionID: id) {
                let owner = try context.directory.staff(task.ownerID, in: db)?.name ?? task.ownerID
                tasks.append(.init(description: task.description, ownerName: owner, deadline: task.deadline, open: task.isOpen, overdue: task.isOverdue(today: today)))
            }
            let content = InspectionReportContent(
                schoolName: school.name, schoolID: school.id, date: record.date,
                team: inspection.team, templateTitle: template.definition.title, templateVersion: template.version,
                score: InspectionStatus(storedText: record.status) == .recorded ? record.score : nil,
                items: template.definition.items.map { item in
                    let finding = findings[item.id]
                    return .init(title: item.title, weight: item.weight, maxScore: item.maxScore, score: Int(finding?.score ?? 0),
                                 note: finding?.note ?? "", evidenceRef: finding?.evidenceRef ?? "",
                                 measured: measured[item.measure].map(Self.short) ?? "")
                },
                measured: stored.map { value in
                    (Self.measureLabels[value.measure] ?? value.measure,
                     MeasuredFigureText.chinese(measure: value.measure, available: value.available, share: value.share,
                                                counts: value.counts ?? [:], from: value.from ?? "", to: value.to ?? ""))
                },
                tasks: tasks, reinspectionOf: inspection.reinspectionOf)
            var reply = Xinyu_Facilities_V1_InspectionReport()
            reply.fileName = "inspection-\(id)-\(school.id)-\(record.date).html"
            reply.html = InspectionReportPage.html(content)
            return reply
        }
    }
}


