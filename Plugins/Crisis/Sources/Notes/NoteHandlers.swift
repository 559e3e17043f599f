import GRDB
import XinyuCrisisAPI
import XinyuPluginSDK

/// AddNote and ListNotes: restricted counselling notes (咨询记录), for psych staff only.
/// No other method returns them (not GetCase, GetPlan or the archive).
struct NoteHandlers: Sendable {
    func register(_ s: inout ServiceBuilder) {
        s.unary("AddNote", permission: CrisisPermissions.notesWrite, mutates: true, handler: add)
        s.unary("ListNotes", permission: CrisisPermissions.notesRead, handler: list)
    }

    @Sendable func add(_ request: Xinyu_Crisis_V1_AddNoteRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_Note {
        let text = try Require.text("text", request.text, max: 20_000)
        return try await context.store.write { db in
            let row = try CaseStore.visible(db, id: request.caseID, context: context)
            try db.execute(sql: "INSERT INTO crisis_notes (case_id, student_id, text, author, written_at_ms) VALUES (?, ?, ?, ?, ?)",
                           arguments: [row["id"] as Int64, row["student_id"] as String, text, context.principal.id, context.nowMs])
            return try NoteRecord.fetchOne(db, sql: "SELECT * FROM crisis_notes WHERE id = ?", arguments: [db.lastInsertedRowID])!.message
        }
    }

    @Sendable func list(_ request: Xinyu_Crisis_V1_ListNotesRequest, _ context: CallContext) async throws -> Xinyu_Crisis_V1_ListNotesResponse {
        // The host checked the manifest permission; checked again here because notes are the
        // most sensitive data the plugin holds.
        try context.require(CrisisPermissions.notesRead)
        return try await context.store.read { db in
            let row = try CaseStore.visible(db, id: request.caseID, context: context)
            var response = Xinyu_Crisis_V1_ListNotesResponse()
            response.notes = try NoteRecord.fetchAll(db, sql: "SELECT * FROM crisis_notes WHERE case_id = ? ORDER BY id", arguments: [row["id"] as Int64]).map(\.message)
            return response
        }
    }

}
