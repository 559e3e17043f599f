import GRDB
import XinyuHomeschoolAPI
import XinyuHomeschoolCore
import XinyuPluginSDK

/// SetCategory, RemoveCategory and ListCategories: the five high-risk categories (五类心理高危学生).
/// Putting a student in a category owes a special visit, once per student and category (and once
/// more each time the student is put back in after a removal). Removing keeps the category in
/// the history (`homeschool_category_history`) with who set and removed it, when and why.
struct CategoryHandlers: Sendable {
    let configuration: HomeschoolConfiguration

    func register(_ s: inout ServiceBuilder) {
        s.unary("SetCategory", permission: HomeschoolPermissions.categoryWrite, mutates: true, handler: set)
        s.unary("ListCategories", permission: HomeschoolPermissions.read, handler: list)
        s.unary("RemoveCategory", permission: HomeschoolPermissions.categoryWrite, mutates: true, handler: remove)
    }

    @Sendable func set(_ request: Xinyu_Homeschool_V1_SetCategoryRequest, _ context: CallContext) async throws -> Xinyu_Homeschool_V1_StudentCategory {
        let category = try Require.text("category", request.category, max: 40)
        guard configuration.categories.contains(category) else {
            throw RPCError.invalidField("category", "'\(category)' is not one of \(configuration.categories.joined(separator: ", "))")
        }
        let reason = try Require.text("reason", request.reason, max: 500)
        return try await context.store.write { db in
            let student = try Require.student(request.studentID, context, in: db)
            guard try !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM homeschool_categories WHERE student_id = ? AND category = ?)",
                                    arguments: [student.id, category])! else {
                throw RPCError(.alreadyExists, "student \(student.id) is already in category \(category)")
            }
            // Put back in after a removal: a new trigger, so a new special visit is owed.
            let removals = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM homeschool_category_history WHERE student_id = ? AND category = ?",
                                            arguments: [student.id, category]) ?? 0
            let trigger = "category:\(category):\(student.id)" + (removals == 0 ? "" : ":\(removals + 1)")
            let special = try SpecialVisitStore.owe(db, student: student, trigger: trigger,
                                                    reason: "category \(category)", days: configuration.specialVisitDays, context: context)
            try db.execute(sql: """
                INSERT INTO homeschool_categories (student_id, category, reason, set_by, set_at_ms, special_visit_id) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [student.id, category, reason, context.principal.id, context.nowMs, special.id])
            return try Self.all(db, studentID: student.id).first { $0.category == category }!
        }
    }

    @Sendable func list(_ request: Xinyu_Homeschool_V1_ListCategoriesRequest, _ context: CallContext) async throws -> Xinyu_Homeschool_V1_ListCategoriesResponse {
        try await context.store.read { db in
            let student = try Require.student(request.studentID, context, in: db)
            var reply = Xinyu_Homeschool_V1_ListCategoriesResponse()
            reply.categories = try Self.all(db, studentID: student.id)
            if request.includeRemoved { reply.categories += try Self.removed(db, studentID: student.id) }
            return reply
        }
    }

    @Sendable func remove(_ request: Xinyu_Homeschool_V1_RemoveCategoryRequest, _ context: CallContext) async throws -> Xinyu_Homeschool_V1_StudentCategory {
        let category = try Require.text("category", request.category, max: 40)
        let reason = try Require.text("reason", request.reason, max: 500)
        return try await context.store.write { db in
            let student = try Require.student(request.studentID, context, in: db)
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM homeschool_categories WHERE student_id = ? AND category = ?)",
                                    arguments: [student.id, category])! else {
                throw RPCError(.notFound, "field category: student \(student.id) is not in category \(category)")
            }
            try db.execute(sql: """
                INSERT INTO homeschool_category_history (student_id, category, reason, set_by, set_at_ms, special_visit_id, removed_by, removed_at_ms, removal_reason)
                SELECT student_id, category, reason, set_by, set_at_ms, special_visit_id, ?, ?, ? FROM homeschool_categories WHERE student_id = ? AND category = ?
                """, arguments: [context.principal.id, context.nowMs, reason, student.id, category])
            let historyID = db.lastInsertedRowID
            try db.execute(sql: "DELETE FROM homeschool_categories WHERE student_id = ? AND category = ?", arguments: [student.id, category])
            return try Self.removed(db, studentID: student.id, historyID: historyID).first!
        }
    }

    /// The categories the student was taken out of, oldest removal first (or only `historyID`).
    static func removed(_ db: Database, studentID: String, historyID: Int64? = nil) throws -> [Xinyu_Homeschool_V1_StudentCategory] {
        var sql = "SELECT * FROM homeschool_category_history WHERE student_id = ?"
        var arguments: StatementArguments = [studentID]
        if let historyID { sql += " AND id = ?"; arguments += [historyID] }
        return try Row.fetchAll(db, sql: sql + " ORDER BY removed_at_ms, id", arguments: arguments).map { row in
            var c = Xinyu_Homeschool_V1_StudentCategory()
            c.studentID = row["student_id"]
            c.category = row["category"]
            c.reason = row["reason"]
            c.setBy = row["set_by"]
            c.setAtMs = row["set_at_ms"]
            c.specialVisitID = String(row["special_visit_id"] as Int64)
            c.removedBy = row["removed_by"]
            c.removedAtMs = row["removed_at_ms"]
            c.removalReason = row["removal_reason"]
            return c
        }
    }

    static func all(_ db: Database, studentID: String) throws -> [Xinyu_Homeschool_V1_StudentCategory] {
        try Row.fetchAll(db, sql: "SELECT * FROM homeschool_categories WHERE student_id = ? ORDER BY set_at_ms, category", arguments: [studentID]).map { row in
            var c = Xinyu_Homeschool_V1_StudentCategory()
            c.studentID = row["student_id"]
            c.category = row["category"]
            c.reason = row["reason"]
            c.setBy = row["set_by"]
            c.setAtMs = row["set_at_ms"]
            c.specialVisitID = String(row["special_visit_id"] as Int64)
            return c
        }
    }
}
