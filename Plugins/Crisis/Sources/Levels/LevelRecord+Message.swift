import XinyuCrisisAPI

extension LevelRecord {
    /// The level as the API sends it.
    var message: WarningLevelMessage {
        var m = WarningLevelMessage()
        m.studentID = studentID
        m.schoolID = schoolID
        m.classID = classID
        m.level = Int32(level)
        m.explanation = explanation
        m.since = sinceDay
        m.reviewDue = reviewDue
        m.source = LevelStore.Source(storedText: source) ?? .unspecified
        m.updatedBy = updatedBy
        m.updatedAtMs = updatedAtMs
        return m
    }
}
