import GRDB
import XinyuCSV
import XinyuCoreAPI
import XinyuPluginSDK
import XinyuWire

/// Runs one ImportRoster call for one kind of file:
///
/// 1. decode and parse the CSV (a whole-file problem is INVALID_ARGUMENT on field `csv`,
///    nothing changed);
/// 2. find the columns (INVALID_ARGUMENT naming any missing required column);
/// 3. fetch the directory rows the file refers to, then check every row ("validating"
///    progress), collecting row errors;
/// 4. with errors and no `skip_bad_rows`, or with `dry_run`: report, change nothing;
/// 5. otherwise write every good row in one transaction ("importing" progress) and report.
///
/// Exactly one report is sent, after every progress event. Personal data never reaches the
/// log: only counts, the kind and the encoding.
struct RosterImporter<Format: RosterFormat> {
    let request: Xinyu_Directory_V1_ImportRosterRequest
    let stream: ResponseStream<Xinyu_Directory_V1_ImportRosterEvent>
    let context: CallContext

    func run() async throws {
        // Parsing and checking are long synchronous stretches (seconds for 10,000 rows in a
        // debug build): they run on the blocking pool, so that other calls are not held up
        // behind them on the concurrency pool's few threads (``HeavyWork``).
        let request = self.request
        let (table, columns, wanted) = try await HeavyWork.run { _ in
            let table: CSVTable
            do throws(CSVError) {
                table = try CSVReader().read([UInt8](request.csv))
            } catch {
                throw RPCError.invalidField("csv", error.description)
            }
            let columns = try ResolvedColumns(Format.columns, in: table, kind: Format.kind)
            return (table, columns, Self.referencedIDs(table, columns))
        }
        let snapshot = try await context.store.read { db in try RosterSnapshot.load(db, wanted: wanted) }

        let validator = RosterRowValidator<Format>(table: table, columns: columns, snapshot: snapshot, today: context.today)
        let stream = self.stream
        let outcome = try await HeavyWork.run { isCancelled in
            var validating = try RosterProgress.start("validating", total: table.rows.count, stream)
            return try validator.run { done in
                if done % 256 == 0 && isCancelled() { throw RPCError(.cancelled, "the call was cancelled or its deadline passed") }
                try validating.advance(to: done)
            }
        }
        try context.checkCancellation()

        var report = Xinyu_Directory_V1_ImportReport()
        report.rows = Int64(table.rows.count)
        report.encoding = table.encoding.rawValue
        report.errors = outcome.errors.report
        report.skipped = Int64(outcome.badRows)
        if request.dryRun || (outcome.badRows > 0 && !request.skipBadRows) {
            report.nothingChanged = true
        } else {
            try context.checkCancellation()
            try await write(outcome.good, keeping: validator.absentFields)
            report.imported = Int64(outcome.good.count)
        }
        var event = Xinyu_Directory_V1_ImportRosterEvent()
        event.report = report
        try stream.send(event)
        context.logger.info("roster import finished", metadata: [
            "kind": "\(Format.kind)", "encoding": "\(report.encoding)", "rows": "\(report.rows)",
            "imported": "\(report.imported)", "bad_rows": "\(report.skipped)", "errors": "\(outcome.errors.count)",
            "dry_run": "\(request.dryRun)", "nothing_changed": "\(report.nothingChanged)",
        ])
    }

    /// Writes every good row in one transaction: the import lands whole or not at all.
    /// GRDB stops the transaction's statements with CancellationError when the call's task
    /// is cancelled, and rolls back.
    private func write(_ records: [Format.Record], keeping: Set<String>) async throws {
        let now = context.nowMs
        let stream = self.stream
        do {
            let moves = try await context.store.write { db in
                var importing = try RosterProgress.start("importing", total: records.count, stream)
                var moves: [StudentMove] = []
                for (index, record) in records.enumerated() {
                    if let move = try Format.move(db, record) { moves.append(move) }
                    try Format.save(db, record, now: now, keeping: keeping)
                    try importing.advance(to: index + 1)
                }
                return moves
            }
            // A move changes who may see the student's records in every plugin (scopes follow
            // the directory's placement), so the audit names the students and where they went.
            if let note = moves.auditNote {
                context.noteForAudit(note)
                context.touched(subjects: moves.map(\.studentID))
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY {
            // The file was checked against a snapshot; someone changed the directory since.
            throw RPCError(.aborted, "the directory changed while the file was being checked (a school, class, student or staff member it refers to is gone or moved); nothing was imported, import the file again")
        }
    }

    /// The ids each column refers to, so they can be fetched in a few batched queries.
    private static func referencedIDs(_ table: CSVTable, _ columns: ResolvedColumns) -> [RosterReference: Set<String>] {
        var wanted: [RosterReference: Set<String>] = [:]
        for column in Format.columns {
            guard let reference = column.references, let index = columns.index(of: column.field) else { continue }
            var ids = wanted[reference, default: []]
            for row in table.rows {
                if let value = row[index] { ids.insert(FieldRules.trimmed(value)) }
            }
            wanted[reference] = ids
        }
        return wanted
    }
}
