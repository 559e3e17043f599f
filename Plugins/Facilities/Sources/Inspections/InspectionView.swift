import GRDB
import XinyuFacilitiesAPI
import XinyuPluginSDK

/// Builds the Inspection message from its rows: findings, measured figures and its tasks.
enum InspectionView {
    static func message(_ db: Database, _ record: InspectionRecord, context: CallContext) throws -> Xinyu_Facilities_V1_Inspection {
        var inspection = Xinyu_Facilities_V1_Inspection()
        inspection.id = String(record.id)
        inspection.schoolID = record.schoolID
        inspection.schoolName = try context.directory.school(record.schoolID, in: db)?.name ?? ""
        inspection.team = (try? JSONColumn.value([String].self, from: record.team)) ?? []
        inspection.date = record.date
        inspection.templateID = record.templateID
        inspection.templateVersion = Int32(record.templateVersion)
        inspection.status = record.status
        inspection.reinspectionOf = record.reinspectionOf.map(String.init) ?? ""
        inspection.score = record.score
        inspection.measured = ((try? JSONColumn.value([MeasuredValue].self, from: record.measured)) ?? []).map { value in
            var figure = Xinyu_Facilities_V1_MeasuredFigure()
            figure.measure = value.measure
            figure.available = value.available
            figure.share = value.share
            figure.detail = value.detail
            return figure
        }
        inspection.findings = try Row.fetchAll(db, sql: "SELECT * FROM facilities_findings WHERE inspection_id = ? ORDER BY position", arguments: [record.id]).map { row in
            var finding = Xinyu_Facilities_V1_Finding()
            finding.itemID = row["item_id"]
            finding.score = row["score"]
            finding.note = row["note"]
            finding.evidenceRef = row["evidence_ref"]
            return finding
        }
        inspection.tasks = try tasks(db, inspectionID: record.id).map { $0.message(today: context.today) }
        return inspection
    }

    static func tasks(_ db: Database, inspectionID: Int64) throws -> [RectificationRecord] {
        try RectificationRecord.fetchAll(db, sql: "SELECT * FROM facilities_rectifications WHERE inspection_id = ? ORDER BY id", arguments: [inspectionID])
    }
}
