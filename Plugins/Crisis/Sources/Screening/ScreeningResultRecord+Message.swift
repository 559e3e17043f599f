import XinyuCrisisAPI

extension ScreeningResultRecord {
    /// The result as the API sends it.
    var message: Xinyu_Crisis_V1_ScreeningResult {
        var m = Xinyu_Crisis_V1_ScreeningResult()
        m.id = String(id)
        m.studentID = studentID
        m.roundID = roundID
        m.instrumentID = instrumentID
        m.instrumentVersion = instrumentVersion
        m.answers = JSONText.decodeInts(answers)
        m.extras = JSONText.decodeBools(extras)
        if let total { m.total = Int32(total) }
        m.prorated = prorated
        m.band = band
        m.flags = flags.isEmpty ? [] : flags.split(separator: ",").map(String.init)
        m.explanation = explanation
        m.suggestedLevel = Int32(suggestedLevel)
        m.takenOn = takenOn
        m.recordedAtMs = recordedAtMs
        return m
    }
}
