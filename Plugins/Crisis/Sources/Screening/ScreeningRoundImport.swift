import XinyuCrisisAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// ImportScreeningRound: a round's CSV as the screening platform exports it, validated row by
/// row first (progress events), then stored in one transaction, then one report.
struct ScreeningRoundImport: Sendable {
    let configuration: CrisisConfiguration

    func register(_ s: inout ServiceBuilder) {
        s.serverStreaming("ImportScreeningRound", permission: CrisisPermissions.screeningWrite, mutates: true,
                          response: Xinyu_Crisis_V1_ImportScreeningEvent.self, handler: run)
    }

    @Sendable func run(
        _ request: Xinyu_Crisis_V1_ImportScreeningRoundRequest, _ stream: ResponseStream<Xinyu_Crisis_V1_ImportScreeningEvent>, _ context: CallContext
    ) async throws {
        let roundID = try Require.text("round_id", request.roundID, max: 64)
        let table: CSVTable
        do {
            table = try CSVReader().read(Array(request.csv))
        } catch {
            throw RPCError.invalidField("csv", error.description)
        }
        let columns = try Columns(table: table, defaultInstrument: request.instrumentID, catalog: configuration.catalog)
        let entries = table.rows.map { columns.entry(from: $0, table: table, roundID: roundID) }
        // Validation and storing each run as one batch: each phase reports its start and its end.
        var validating = try Self.progress("validate", total: entries.count, stream)
        let (scored, errors) = try await ScreeningBatch.validate(entries, scorer: ScreeningScorer(configuration: configuration), context: context)
        try validating.advance(to: entries.count)

        var report = Xinyu_Crisis_V1_ImportReport()
        report.errors = errors
        report.dryRun = request.dryRun
        report.duplicateRule = RoundDuplicates.rule
        let badLines = Int64(Set(errors.map(\.line)).count)
        if request.dryRun || (!errors.isEmpty && !request.skipBadRows) || scored.isEmpty {
            report.nothingChanged = true
            report.skipped = Int64(entries.count)
            if request.dryRun && (errors.isEmpty || request.skipBadRows) {
                report.skipped = badLines
                let duplicates = try await context.store.read { db in try RoundDuplicates.split(db, roundID: roundID, scored).duplicateLines }
                report.duplicatesSkipped = Int64(duplicates.count)
                report.duplicateLines = Array(duplicates.prefix(RoundDuplicates.linesReported))
            }
        } else {
            var storing = try Self.progress("store", total: scored.count, stream)
            let configuration = self.configuration
            let (stored, duplicates) = try await context.store.write { db in
                let split = try RoundDuplicates.split(db, roundID: roundID, scored)
                let stored = try ScreeningStore.store(db, split.keep, context: context, configuration: configuration)
                return (stored, split.duplicateLines)
            }
            try storing.advance(to: scored.count)
            report.imported = Int64(stored.ids.count)
            report.skipped = badLines
            report.levelsChanged = Int64(stored.levelsChanged)
            report.duplicatesSkipped = Int64(duplicates.count)
            report.duplicateLines = Array(duplicates.prefix(RoundDuplicates.linesReported))
            report.nothingChanged = stored.ids.isEmpty
        }
        var event = Xinyu_Crisis_V1_ImportScreeningEvent()
        event.report = report
        try stream.send(event)
    }

    private static func progress(_ phase: String, total: Int, _ stream: ResponseStream<Xinyu_Crisis_V1_ImportScreeningEvent>) throws -> ImportProgress {
        try ImportProgress(phase: phase, total: total, stream: stream) { (p: Xinyu_Crisis_V1_ImportProgress) in .with { $0.progress = p } }
    }

    /// Where each value is in the file.
    struct Columns: Sendable {
        let student: Int
        let instrument: Int?
        let takenOn: Int?
        let defaultInstrument: String
        /// Item columns q1, q2, … in order (also "item1", "题1").
        let items: [Int]
        /// Extra-question columns by id, for every extra any configured instrument asks.
        let extras: [String: Int]
        /// Item counts by instrument id: empty cells past an instrument's last item are not its answers.
        let itemCounts: [String: Int]
        /// Extra-question ids by instrument id: a column for another instrument's question is ignored.
        let extraIDs: [String: Set<String>]

        init(table: CSVTable, defaultInstrument: String, catalog: InstrumentCatalog) throws {
            guard let student = ["student_id", "学籍号", "student"].lazy.compactMap(table.column).first else {
                throw RPCError.invalidField("csv", "line 1: no student_id (学籍号) column")
            }
            self.student = student
            instrument = ["instrument", "instrument_id", "量表"].lazy.compactMap(table.column).first
            if instrument == nil && defaultInstrument.isEmpty {
                throw RPCError.invalidField("instrument_id", "is required when the file has no instrument column")
            }
            takenOn = ["taken_on", "date", "日期"].lazy.compactMap(table.column).first
            self.defaultInstrument = defaultInstrument
            var items: [Int] = []
            while let index = ["q\(items.count + 1)", "item\(items.count + 1)", "题\(items.count + 1)"].lazy.compactMap(table.column).first {
                items.append(index)
            }
            guard !items.isEmpty else { throw RPCError.invalidField("csv", "line 1: no item columns (q1, q2, …)") }
            self.items = items
            var extras: [String: Int] = [:]
            for definition in catalog.all {
                for extra in definition.extras { if let index = table.column(extra.id) { extras[extra.id] = index } }
            }
            self.extras = extras
            itemCounts = Dictionary(catalog.all.map { ($0.id, $0.itemCount) }, uniquingKeysWith: { a, _ in a })
            extraIDs = Dictionary(catalog.all.map { ($0.id, Set($0.extras.map(\.id))) }, uniquingKeysWith: { a, _ in a })
        }

        func entry(from row: CSVRow, table: CSVTable, roundID: String) -> ScreeningEntry {
            var problems: [FieldProblem] = []
            if let shape = table.shapeProblem(of: row) { problems.append(FieldProblem(field: "row", message: shape)) }
            let instrumentID = instrument.flatMap { row[$0] }.map(Self.clean).flatMap { $0.isEmpty ? nil : $0 } ?? defaultInstrument
            // Only as many items as the row's instrument has; further columns belong to longer ones.
            var answers: [Int32] = []
            for (n, index) in items.enumerated() {
                let cell = row[index].map(Self.clean) ?? ""
                if cell.isEmpty { answers.append(-1); continue }
                guard let value = Int32(cell) else {
                    problems.append(FieldProblem(field: "item \(n + 1)", message: "\"\(cell)\" is not a number"))
                    answers.append(-1)
                    continue
                }
                answers.append(value)
            }
            if let count = itemCounts[instrumentID] {
                while answers.count > count && answers.last == -1 { answers.removeLast() }
            }
            var answered: [String: Bool] = [:]
            for (id, index) in extras where extraIDs[instrumentID]?.contains(id) ?? true {
                let cell = (row[index].map(Self.clean) ?? "").lowercased()
                switch cell {
                case "": continue
                case "yes", "y", "1", "true", "是": answered[id] = true
                case "no", "n", "0", "false", "否": answered[id] = false
                default: problems.append(FieldProblem(field: "extras.\(id)", message: "\"\(cell)\" is not yes or no"))
                }
            }
            return ScreeningEntry(
                line: Int64(row.line), studentID: row[student].map(Self.clean) ?? "", instrumentID: instrumentID,
                answers: answers, extras: answered, roundID: roundID, takenOn: takenOn.flatMap { row[$0] }.map(Self.clean) ?? "",
                readProblems: problems)
        }

        static func clean(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces) }
    }
}

extension Xinyu_Crisis_V1_ImportProgress: ImportProgressMessage {}
