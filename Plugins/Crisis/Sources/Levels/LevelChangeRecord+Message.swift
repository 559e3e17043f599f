import XinyuCrisisAPI

extension LevelChangeRecord {
    /// The change as the API sends it.
    var message: Xinyu_Crisis_V1_LevelChange {
        var c = Xinyu_Crisis_V1_LevelChange()
        c.studentID = studentID
        c.fromLevel = Int32(fromLevel)
        c.toLevel = Int32(toLevel)
        c.explanation = explanation
        c.reason = reason
        c.evidence = evidence
        c.source = LevelStore.Source(storedText: source) ?? .unspecified
        c.changedBy = changedBy
        c.changedAtMs = changedAtMs
        return c
    }
}
