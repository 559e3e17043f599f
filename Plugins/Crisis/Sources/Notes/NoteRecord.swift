import GRDB

/// A row of `crisis_notes`: one restricted counselling note (咨询记录). The one decoding of that table.
struct NoteRecord: Decodable, FetchableRecord, Sendable {
    let id: Int64
    let caseID: Int64
    let text: String
    let author: String
    let writtenAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case id, text, author
        case caseID = "case_id"
        case writtenAtMs = "written_at_ms"
    }
}
