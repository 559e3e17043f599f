extension InstrumentDefinition {
    /// Throws the first problem that would make scoring wrong or ambiguous.
    ///
    /// Field names in errors are the TOML keys used in configuration
    /// ("items", "answer_max", "bands", "item_flags[1].item", ...), so the
    /// person editing the file finds them; list positions are 1-based.
    public func validate() throws(InstrumentDefinitionError) {
        func fail(_ field: String, _ problem: String) -> InstrumentDefinitionError {
            InstrumentDefinitionError(instrument: id, field: field, problem: problem)
        }
        guard Self.isValidID(id) else {
            throw fail("id", "must be 1–64 characters of lowercase letters, digits, \"-\", \"_\" or \".\"")
        }
        guard !version.isEmpty else { throw fail("version", "must not be empty") }
        guard !title.isEmpty else { throw fail("title", "must not be empty") }
        guard !shortName.isEmpty else { throw fail("short_name", "must not be empty") }

        var extraIDs = Set<String>()
        for (index, extra) in extras.enumerated() {
            guard Self.isValidID(extra.id) else { throw fail("extras[\(index + 1)].id", "\"\(extra.id)\" is not a valid id") }
            guard extraIDs.insert(extra.id).inserted else { throw fail("extras[\(index + 1)].id", "\"\(extra.id)\" appears twice") }
            if let flag = extra.flagWhenYes, !Self.isValidID(flag) {
                throw fail("extras[\(index + 1)].flag", "\"\(flag)\" is not a valid flag id")
            }
        }

        switch kind {
        case .cssrsScreener:
            guard itemCount == 6 else { throw fail("items", "the C-SSRS screener has exactly 6 items") }
            guard answerMin == 0, answerMax == 1 else { throw fail("answer_min", "C-SSRS answers are 0 (no) or 1 (yes)") }
            guard bands.isEmpty else { throw fail("bands", "the C-SSRS screener's risk levels are fixed; remove the bands") }
            guard itemFlags.isEmpty else { throw fail("item_flags", "the C-SSRS screener's flags are fixed; remove item_flags") }
            guard referAt == nil else { throw fail("refer_at", "the C-SSRS screener has no total") }
            guard extras.map(\.id) == [CSSRSScreenerScorer.q6RecentKey] else {
                throw fail("extras", "the C-SSRS screener takes exactly one extra, \"\(CSSRSScreenerScorer.q6RecentKey)\"")
            }
        case .summed:
            try validateSummed(fail)
        }
    }

    private func validateSummed(_ fail: (String, String) -> InstrumentDefinitionError) throws(InstrumentDefinitionError) {
        guard (1...200).contains(itemCount) else { throw fail("items", "\(itemCount) is outside 1…200") }
        guard answerMin >= 0 else { throw fail("answer_min", "must be 0 or more") }
        guard answerMax > answerMin, answerMax <= 100 else {
            throw fail("answer_max", "must be above answer_min (\(answerMin)) and at most 100")
        }
        guard (0..<itemCount).contains(maxMissingToProrate) else {
            throw fail("max_missing_to_prorate", "\(maxMissingToProrate) is outside 0…\(itemCount - 1)")
        }
        guard !bands.isEmpty else { throw fail("bands", "at least one band is needed") }
        guard bands[0].lower == minTotal else {
            throw fail("bands", "the first band must start at the lowest total \(minTotal)")
        }
        var expected = minTotal
        var names = Set<String>()
        for (index, band) in bands.enumerated() {
            let label = "bands[\(index + 1)]"
            guard Self.isValidID(band.name), band.name != ScoreResult.invalidBand else {
                throw fail("\(label).name", "\"\(band.name)\" is not a valid band name (\"invalid\" is reserved)")
            }
            guard names.insert(band.name).inserted else { throw fail("\(label).name", "\"\(band.name)\" appears twice") }
            guard band.lower <= band.upper else {
                throw fail(label, "lower \(band.lower) is above upper \(band.upper)")
            }
            if band.lower > expected {
                let gap = band.lower - 1 == expected ? "total \(expected) is" : "totals \(expected)–\(band.lower - 1) are"
                throw fail("bands", "\(gap) in no band (bands must be in ascending order with no gaps)")
            }
            if band.lower < expected {
                throw fail("bands", "\(band.name) starts at \(band.lower), overlapping totals below \(expected) (bands must be in ascending order without overlap)")
            }
            expected = band.upper + 1
        }
        guard expected - 1 == maxTotal else {
            throw fail("bands", "the last band ends at \(expected - 1) but totals reach \(maxTotal)")
        }
        for (index, rule) in itemFlags.enumerated() {
            let label = "item_flags[\(index + 1)]"
            guard (1...itemCount).contains(rule.item) else { throw fail("\(label).item", "\(rule.item) is outside 1…\(itemCount)") }
            guard (answerMin...answerMax).contains(rule.atLeast) else {
                throw fail("\(label).at_least", "\(rule.atLeast) is outside \(answerMin)…\(answerMax)")
            }
            guard Self.isValidID(rule.flag) else { throw fail("\(label).flag", "\"\(rule.flag)\" is not a valid flag id") }
        }
        if let referAt, !(minTotal...maxTotal).contains(referAt) {
            throw fail("refer_at", "\(referAt) is outside the possible totals \(minTotal)…\(maxTotal)")
        }
    }

    /// Ids, flag ids and band names: 1–64 of `a-z 0-9 - _ .`, so they are safe
    /// as TOML keys, in file names and in SQL-free comparisons.
    static func isValidID(_ text: String) -> Bool {
        guard (1...64).contains(text.utf8.count) else { return false }
        return text.utf8.allSatisfy { byte in
            (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x5F || byte == 0x2E
        }
    }
}
