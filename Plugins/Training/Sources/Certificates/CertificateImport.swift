import GRDB
import XinyuPluginSDK
import XinyuTrainingAPI
import XinyuTrainingCore

/// ImportCertificates: existing certificate records from CSV (UTF-8, UTF-8 with BOM or GBK, read
/// by the CSV tooling the directory import uses). Every row is checked first (columns, dates,
/// staff in the directory and in scope, numbers unique in the file and the database); with any
/// error nothing changes unless `skip_bad_rows`. Progress events, then one report.
struct CertificateImport: Sendable {
    func register(_ s: inout ServiceBuilder) {
        s.serverStreaming("ImportCertificates", permission: TrainingPermissions.write, mutates: true,
                          response: Xinyu_Training_V1_ImportCertificatesEvent.self, handler: run)
    }

    @Sendable func run(_ request: Xinyu_Training_V1_ImportCertificatesRequest, _ stream: ResponseStream<Xinyu_Training_V1_ImportCertificatesEvent>,
                       _ context: CallContext) async throws {
        guard !request.csv.isEmpty else { throw RPCError.invalidField("csv", "is required") }
        let table: CSVTable
        do { table = try CSVReader(maxBytes: 16 << 20).read(Array(request.csv)) } catch { throw RPCError.invalidField("csv", error.description) }
        var columns: [String: Int] = [:]
        for (name, aliases) in CertificateRow.columnNames {
            if let index = aliases.lazy.compactMap(table.column).first { columns[name] = index }
        }
        for required in ["staff_id", "level", "number", "issued_on"] where columns[required] == nil {
            throw RPCError.invalidField("csv", "line 1: no \(required) column (\(CertificateRow.columnNames[required]!.joined(separator: " / ")))")
        }
        let rows = table.rows.map { row in
            CertificateRow(line: row.line, values: columns.mapValues { row[$0] ?? "" }, shapeProblem: table.shapeProblem(of: row))
        }
        var validating = try Self.progress("validate", total: rows.count, stream)
        var errors: [Xinyu_Training_V1_RowError] = rows.flatMap { row in row.problems.map { Self.error(row.line, $0.field, $0.problem) } }
        let checked = try await context.store.read { db in try Self.checkAgainstStore(db, rows, context: context) }
        errors += checked
        try validating.advance(to: rows.count)
        errors.sort { ($0.line, $0.field) < ($1.line, $1.field) }
        let badLines = Set(errors.map(\.line))
        let good = rows.filter { !badLines.contains(Int64($0.line)) }

        var report = Xinyu_Training_V1_ImportReport()
        report.encoding = table.encoding.rawValue
        report.errors = errors
        if request.dryRun || (!errors.isEmpty && !request.skipBadRows) || good.isEmpty {
            report.nothingChanged = true
            report.skipped = Int64(rows.count)
        } else {
            var storing = try Self.progress("store", total: good.count, stream)
            try await context.store.write { db in
                for row in good {
                    try db.execute(sql: """
                        INSERT INTO training_certificates (number, staff_id, level, issued_on, expires_on, recorded_by, recorded_at_ms)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [row.number, row.staffID, row.level, row.issuedOn!.description, row.expiresOn?.description ?? "",
                                         context.principal.id, context.nowMs])
                }
            }
            try storing.advance(to: good.count)
            report.imported = Int64(good.count)
            report.skipped = Int64(badLines.count)
        }
        try stream.send(.with { $0.report = report })
    }

    /// Problems only the database can tell: unknown staff, staff outside the caller's scope,
    /// numbers already stored or repeated in the file.
    static func checkAgainstStore(_ db: Database, _ rows: [CertificateRow], context: CallContext) throws -> [Xinyu_Training_V1_RowError] {
        var errors: [Xinyu_Training_V1_RowError] = []
        var seen: [String: Int] = [:]
        for row in rows {
            if !row.staffID.isEmpty {
                if let member = try context.directory.staff(row.staffID, in: db) {
                    if !ScopeTarget(schoolID: member.schoolID).isCovered(by: context.principal.scopes) {
                        errors.append(error(row.line, "staff_id", "\(row.staffID) is outside your data scope"))
                    }
                } else {
                    errors.append(error(row.line, "staff_id", "no staff member \(row.staffID) in the directory"))
                }
            }
            guard !row.number.isEmpty else { continue }
            if let first = seen[row.number] {
                errors.append(error(row.line, "number", "\(row.number) is also on line \(first)"))
            } else {
                seen[row.number] = row.line
                if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM training_certificates WHERE number = ?)", arguments: [row.number]) == true {
                    errors.append(error(row.line, "number", "certificate \(row.number) is already recorded"))
                }
            }
        }
        return errors
    }

    static func error(_ line: Int, _ field: String, _ problem: String) -> Xinyu_Training_V1_RowError {
        .with { $0.line = Int64(line); $0.field = field; $0.problem = problem }
    }

    static func progress(_ phase: String, total: Int, _ stream: ResponseStream<Xinyu_Training_V1_ImportCertificatesEvent>) throws -> ImportProgress {
        try ImportProgress(phase: phase, total: total, stream: stream) { (p: Xinyu_Training_V1_ImportProgress) in .with { $0.progress = p } }
    }
}

extension Xinyu_Training_V1_ImportProgress: ImportProgressMessage {}
