import GRDB
import XinyuCrisisAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// SubmitScreening, SubmitScreeningBatch, ListScreeningResults, ListInstruments.
struct ScreeningHandlers: Sendable {
    let configuration: CrisisConfiguration
    /// The largest batch one call may carry.
    static let maxBatch = 10_000

    var scorer: ScreeningScorer { ScreeningScorer(configuration: configuration) }

    func register(_ s: inout ServiceBuilder) {
        s.unary("SubmitScreening", permission: CrisisPermissions.screeningWrite, mutates: true, handler: submit)
        s.unary("SubmitScreeningBatch", permission: CrisisPermissions.screeningWrite, mutates: true, handler: submitBatch)
        s.unary("ListScreeningResults", permission: CrisisPermissions.screeningRead, handler: list)
        s.unary("ListInstruments", permission: CrisisPermissions.screeningRead, handler: instruments)
    }

    @Sendable func submit(_ request: Xinyu_Crisis_V1_SubmitScreeningRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_SubmitScreeningResponse {
        let s = request.submission
        let student = try await context.store.read { db in try StudentFacts.visible(db, id: s.studentID, field: "submission.student_id", context: context) }
        let outcome = scorer.score(
            studentID: s.studentID, instrumentID: s.instrumentID, answers: s.answers, extras: s.extras, roundID: s.roundID,
            takenOn: s.takenOn, student: student, today: context.today)
        let scored: ScoredSubmission
        switch outcome {
        case .scored(let value): scored = value
        case .rejected(let problems):
            let first = problems[0]
            throw RPCError.invalidField(Self.wireField(first.field), "\(first.field): \(first.message)")
        }
        let configuration = self.configuration
        return try await context.store.write { db in
            let before = try LevelStore.current(db, studentID: student.id)?.level ?? 0
            let stored = try ScreeningStore.store(db, [scored], context: context, configuration: configuration)
            var response = Xinyu_Crisis_V1_SubmitScreeningResponse()
            if let record = try ScreeningResultRecord.fetchOne(db, sql: "SELECT \(ScreeningStore.columns) FROM crisis_screening_results WHERE id = ?", arguments: [stored.ids[0]]) {
                response.result = record.message
            }
            response.level = try LevelStore.current(db, studentID: student.id) ?? LevelStore.none(student)
            response.levelChanged = response.level.level != before
            return response
        }
    }

    /// "item 3" → "submission.answers[2]": the index into the request's repeated field.
    static func wireField(_ field: String) -> String {
        if field.hasPrefix("item "), let n = Int(field.dropFirst(5)) { return "submission.answers[\(n - 1)]" }
        if field == "items" { return "submission.answers" }
        return "submission.\(field)"
    }

    @Sendable func submitBatch(_ request: Xinyu_Crisis_V1_SubmitScreeningBatchRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_SubmitScreeningBatchResponse {
        guard !request.submissions.isEmpty else { throw RPCError.invalidField("submissions", "is empty") }
        guard request.submissions.count <= Self.maxBatch else {
            throw RPCError.invalidField("submissions", "\(request.submissions.count) results; at most \(Self.maxBatch) per call")
        }
        let entries = request.submissions.enumerated().map { index, s in
            ScreeningEntry(line: Int64(index + 1), studentID: s.studentID, instrumentID: s.instrumentID, answers: s.answers,
                           extras: s.extras, roundID: s.roundID, takenOn: s.takenOn)
        }
        let (scored, errors) = try await ScreeningBatch.validate(entries, scorer: scorer, context: context)
        var response = Xinyu_Crisis_V1_SubmitScreeningBatchResponse()
        response.errors = errors
        let badLines = Set(errors.map(\.line)).count
        guard (errors.isEmpty || request.skipBadRows) && !scored.isEmpty else {
            response.nothingChanged = true
            response.skipped = Int64(request.submissions.count)
            return response
        }
        let configuration = self.configuration
        // The reply is built inside the write, so that it is stored as the call's idempotent
        // answer in the same transaction (a retry can never find the change without its answer).
        return try await context.store.write { [response] db in
            // In the write, so that two batches of one round cannot both store a result.
            let split = try RoundDuplicates.splitByRound(db, scored)
            let stored = try ScreeningStore.store(db, split.keep, context: context, configuration: configuration)
            var reply = response
            reply.accepted = Int64(stored.ids.count)
            reply.duplicatesSkipped = Int64(split.duplicateLines.count)
            reply.duplicateLines = Array(split.duplicateLines.prefix(RoundDuplicates.linesReported))
            reply.skipped = Int64(badLines)
            reply.levelsChanged = Int64(stored.levelsChanged)
            return reply
        }
    }

    @Sendable func list(_ request: Xinyu_Crisis_V1_ListScreeningResultsRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_ListScreeningResultsResponse {
        let page = PageRequest(list: "crisis.screening_results", filters: [request.studentID, request.roundID],
                               size: PageRequest.clampedSize(request.limit, default: 100, maximum: 500), token: request.pageToken)
        return try await context.store.read { db in
            if !request.studentID.isEmpty { _ = try StudentFacts.visible(db, id: request.studentID, context: context) }
            let scope = context.crisisScope("r")
            // Newest first.
            var query = KeysetQuery(select: ScreeningStore.columns, from: "crisis_screening_results r", orderBy: [.init("r.id", as: "id")], descending: true)
            query.filter(scope.sql, arguments: scope.arguments)
            if !request.studentID.isEmpty { query.filter("r.student_id = ?", [request.studentID]) }
            if !request.roundID.isEmpty { query.filter("r.round_id = ?", [request.roundID]) }
            let found = try query.page(db, page, as: ScreeningResultRecord.self).map(\.message)
            var response = Xinyu_Crisis_V1_ListScreeningResultsResponse()
            response.results = found.items
            response.nextPageToken = found.nextPageToken
            if request.studentID.isEmpty { context.touched(subjects: Array(Set(response.results.map(\.studentID))).sorted()) }
            return response
        }
    }

    @Sendable func instruments(_ request: Xinyu_Crisis_V1_ListInstrumentsRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_ListInstrumentsResponse {
        var response = Xinyu_Crisis_V1_ListInstrumentsResponse()
        response.instruments = configuration.catalog.all.map { d in
            var i = Xinyu_Crisis_V1_Instrument()
            i.id = d.id
            i.version = d.version
            i.title = d.title
            i.itemCount = Int32(d.itemCount)
            return i
        }
        return response
    }
}
