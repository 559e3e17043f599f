import Foundation
import GRDB
import XinyuCrisisAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// ExportWarnings (省平台上报) and CrossCheck (对撞省卫健信息).
struct ReportingHandlers: Sendable {
    func register(_ s: inout ServiceBuilder) {
        s.unary("ExportWarnings", permission: CrisisPermissions.export, handler: export)
        s.unary("CrossCheck", permission: CrisisPermissions.export, handler: crossCheck)
    }

    func period(_ fromText: String, _ toText: String) throws -> (CalendarDay, CalendarDay) {
        let from = try CalendarDay.fromRequest(fromText, field: "from")
        let to = try CalendarDay.fromRequest(toText, field: "to")
        guard from <= to else { throw RPCError.invalidField("to", "\(to) is before from (\(from))") }
        return (from, to)
    }

    @Sendable func export(_ request: Xinyu_Crisis_V1_ExportWarningsRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_ExportWarningsResponse {
        let (from, to) = try period(request.from, request.to)
        let format: ProvincialExportFormat
        switch request.format {
        case .csv: format = .csv
        case .json: format = .json
        default: throw RPCError.invalidField("format", "is required (CSV or JSON)")
        }
        let rows = try await context.store.read { db in try WarningExportQuery.rows(db, from: from, to: to, schoolID: request.schoolID, context: context) }
        let scope = request.schoolID.isEmpty ? (context.principal.scopes.contains(.city) ? "city" : "scope") : request.schoolID
        let generatedAt = ISO8601DateFormatter().string(from: context.now)
        var response = Xinyu_Crisis_V1_ExportWarningsResponse()
        response.content = Data(ProvincialExport.render(rows, format: format, generatedAt: generatedAt, scope: scope, from: from, to: to).utf8)
        response.contentType = format == .csv ? "text/csv" : "application/json"
        response.rows = Int64(rows.count)
        context.noteForAudit("provincial export of \(rows.count) students")
        return response
    }

    @Sendable func crossCheck(_ request: Xinyu_Crisis_V1_CrossCheckRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_CrossCheckResponse {
        let (from, to) = try period(request.from, request.to)
        let health: [HealthRecord]
        do {
            health = try CrossCheck.parseHealthFile(String(decoding: request.healthFile, as: UTF8.self))
        } catch let error as CrossCheckError {
            throw RPCError.invalidField("health_file", error.description)
        }
        // The students on the warning list on `to`; those removed within the period are not on it.
        let rows = try await context.store.read { db in
            try WarningExportQuery.rows(db, from: from, to: to, schoolID: request.schoolID, context: context).filter { $0.level > 0 }
        }
        let report = CrossCheck.compare(warning: rows, health: health)
        let byID = Dictionary(rows.map { ($0.studentID, $0) }, uniquingKeysWith: { a, _ in a })
        func student(_ row: WarningExportRow) -> Xinyu_Crisis_V1_CrossCheckStudent {
            var s = Xinyu_Crisis_V1_CrossCheckStudent()
            s.studentID = row.studentID
            s.nationalStudentID = row.nationalStudentID
            s.name = row.name
            s.schoolID = row.schoolID
            s.level = Int32(row.level)
            return s
        }
        var response = Xinyu_Crisis_V1_CrossCheckResponse()
        response.matched = report.matched.compactMap { byID[$0.studentID].map(student) }
        response.warningOnly = report.warningOnly.map(student)
        response.healthOnly = report.healthOnly.map { h in
            var s = Xinyu_Crisis_V1_CrossCheckStudent()
            s.nationalStudentID = h.nationalStudentID
            s.name = h.name
            return s
        }
        response.summary = report.summary
        context.noteForAudit("cross-check of \(rows.count) warning records with \(health.count) health records")
        return response
    }
}
