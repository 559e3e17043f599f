import GRDB
import XinyuCrisisAPI
import XinyuPluginSDK

/// GetArchiveCompleteness: how many of a school's students have a complete psychological
/// archive (学生心理档案), for inspections (专项督查, the facilities plugin calls it through the host).
///
/// The required parts, from docs/CRISIS.md and the domain digest ("universal screening …;
/// psychological archives; … a precise level for each student"; "one plan per student"):
/// 1. a screening result (普测) on record for the student;
/// 2. for a student at warning level 1–3, a case (open or closed) with a plan (一人一表).
/// The denominator is the school's students in the directory now. Only counts leave the plugin.
struct ArchiveCompletenessHandlers: Sendable {
    func register(_ s: inout ServiceBuilder) {
        s.unary("GetArchiveCompleteness", permission: CrisisPermissions.statsRead, handler: get)
    }

    @Sendable func get(_ request: Xinyu_Crisis_V1_GetArchiveCompletenessRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_ArchiveCompleteness {
        guard !request.schoolID.isEmpty else { throw RPCError.invalidField("school_id", "is required") }
        return try await context.store.read { db in
            guard try context.directory.school(request.schoolID, in: db) != nil else {
                throw RPCError(.notFound, "field school_id: no school \(request.schoolID)")
            }
            try context.requireScope(ScopeTarget(schoolID: request.schoolID), what: "school \(request.schoolID)", hideExistence: true, in: db)
            let students = try context.directory.studentIDs(inSchool: request.schoolID, in: db)
            let ids = JSONArgument.strings(students)
            let screened = try Set(String.fetchAll(db, sql: """
                SELECT DISTINCT student_id FROM crisis_screening_results WHERE student_id IN (SELECT value FROM json_each(?))
                """, arguments: [ids]))
            let warned = try Set(String.fetchAll(db, sql: """
                SELECT student_id FROM crisis_levels WHERE level BETWEEN 1 AND 3 AND student_id IN (SELECT value FROM json_each(?))
                """, arguments: [ids]))
            let planned = try Set(String.fetchAll(db, sql: """
                SELECT DISTINCT c.student_id FROM crisis_cases c JOIN crisis_plans p ON p.case_id = c.id
                WHERE c.student_id IN (SELECT value FROM json_each(?))
                """, arguments: [ids]))
            var reply = Xinyu_Crisis_V1_ArchiveCompleteness()
            reply.schoolID = request.schoolID
            reply.students = Int32(students.count)
            for id in students {
                let hasScreening = screened.contains(id)
                let needsPlan = warned.contains(id) && !planned.contains(id)
                if !hasScreening { reply.missingScreening += 1 }
                if needsPlan { reply.missingPlan += 1 }
                if hasScreening && !needsPlan { reply.complete += 1 }
            }
            reply.share = students.isEmpty ? 1 : Double(reply.complete) / Double(students.count)
            return reply
        }
    }
}
