import XinyuCrisisAPI

extension NoteRecord {
    /// The note as the API sends it.
    var message: Xinyu_Crisis_V1_Note {
        var n = Xinyu_Crisis_V1_Note()
        n.id = String(id)
        n.caseID = String(caseID)
        n.text = text
        n.author = author
        n.writtenAtMs = writtenAtMs
        return n
    }
}
