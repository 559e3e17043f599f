import GRDB
import XinyuPluginSDK
import XinyuTrainingAPI
import XinyuTrainingCore

/// RecordActivity, GetActivityStatistics: each school's education activities (心育活动) and the
/// city's public-account articles, counted by kind and term; months with too few articles flagged.
struct ActivityHandlers: Sendable {
    let configuration: TrainingConfiguration

    func register(_ s: inout ServiceBuilder) {
        s.unary("RecordActivity", permission: TrainingPermissions.write, mutates: true, handler: record)
        s.unary("GetActivityStatistics", permission: TrainingPermissions.statsRead, handler: statistics)
    }

    @Sendable func record(_ request: Xinyu_Training_V1_RecordActivityRequest, _ context: CallContext) async throws -> Xinyu_Training_V1_Activity {
        let kind = try Xinyu_Training_V1_ActivityKind.storedText(of: request.kind, field: "kind")
        let audience = try Xinyu_Training_V1_Audience.storedText(of: request.audience, field: "audience")
        let title = try RequestText.required("title", request.title)
        let day = try CalendarDay.fromRequest(request.heldOn, field: "held_on")
        guard request.participants >= 0 else { throw RPCError.invalidField("participants", "\(request.participants) is negative") }
        let school = try RequestText.optional("school_id", request.schoolID, max: 64)
        if school.isEmpty && request.kind != .publicAccountArticle {
            throw RPCError.invalidField("school_id", "is required (only public-account articles are city activities)")
        }
        let term = SchoolTerm(containing: day).description
        return try await context.store.write { db in
            if school.isEmpty {
                try context.requireScope(ScopeTarget(), what: "a city activity")
            } else {
                guard try context.directory.school(school, in: db) != nil else { throw RPCError(.notFound, "field school_id: no school \(school)") }
                try context.requireScope(ScopeTarget(schoolID: school), what: "school \(school)", hideExistence: true)
            }
            try db.execute(sql: """
                INSERT INTO training_activities (school_id, kind, title, held_on, term, audience, participants, recorded_by, recorded_at_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [school, kind, title, day.description, term, audience, request.participants, context.principal.id, context.nowMs])
            var activity = Xinyu_Training_V1_Activity()
            activity.id = db.lastInsertedRowID
            activity.schoolID = school
            activity.kind = request.kind
            activity.title = title
            activity.heldOn = day.description
            activity.audience = request.audience
            activity.participants = request.participants
            activity.term = term
            return activity
        }
    }

    @Sendable func statistics(_ request: Xinyu_Training_V1_GetActivityStatisticsRequest, _ context: CallContext) async throws -> Xinyu_Training_V1_ActivityStatistics {
        let today = context.today
        let term: SchoolTerm
        if request.term.isEmpty {
            term = SchoolTerm(containing: today)
        } else {
            guard let parsed = SchoolTerm(request.term) else { throw RPCError.invalidField("term", "\"\(request.term)\" is not a term like 2025-2026-2") }
            term = parsed
        }
        let perMonth = configuration.articlesPerMonth
        return try await context.store.read { db in
            var schools = try context.directory.schools(within: context.principal.scopes, in: db).map(\.id)
            if !request.schoolID.isEmpty {
                guard schools.contains(request.schoolID) else { throw RPCError(.notFound, "field school_id: no school \(request.schoolID) in your data scope") }
                schools = [request.schoolID]
            }
            var reply = Xinyu_Training_V1_ActivityStatistics()
            reply.term = term.description
            let rows = try Row.fetchAll(db, sql: """
                SELECT kind, COUNT(*) AS n, SUM(participants) AS p FROM training_activities
                WHERE term = ? AND (school_id IN (SELECT value FROM json_each(?)) OR (school_id = '' AND ?))
                GROUP BY kind ORDER BY kind
                """, arguments: [term.description, JSONArgument.strings(schools), request.schoolID.isEmpty])
            reply.byKind = rows.map { row in
                .with {
                    $0.kind = Xinyu_Training_V1_ActivityKind(storedText: row["kind"]) ?? .unspecified
                    $0.activities = row["n"]
                    $0.participants = row["p"]
                }
            }
            let articles = try Row.fetchAll(db, sql: """
                SELECT substr(held_on, 1, 7) AS month, COUNT(*) AS n FROM training_activities
                WHERE term = ? AND kind = 'public_account_article' GROUP BY month
                """, arguments: [term.description])
            let counts = Dictionary(uniqueKeysWithValues: articles.map { (row: Row) -> (String, Int) in (row["month"], row["n"]) })
            reply.thinArticleMonths = term.months(through: today).filter { (counts[$0] ?? 0) < perMonth }
            return reply
        }
    }
}
