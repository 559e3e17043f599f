extension InstrumentDefinition {
    /// Every band name a result of this instrument can carry, "invalid" included
    /// when missing answers can invalidate it.
    public var possibleBands: [String] {
        switch kind {
        case .cssrsScreener: return ["none", "low", "moderate", "high"]
        case .summed: return bands.map(\.name) + [ScoreResult.invalidBand]
        }
    }

    /// Every flag id a result of this instrument can carry.
    public var possibleFlags: [String] {
        switch kind {
        case .cssrsScreener:
            return [CSSRSScreenerScorer.imminentFlag, CSSRSScreenerScorer.incompleteFlag]
        case .summed:
            var flags = itemFlags.map(\.flag) + extras.compactMap(\.flagWhenYes)
            let unanswered = itemFlags.map { SummedScorer.unansweredFlag(item: $0.item) }
                + extras.filter { $0.flagWhenYes != nil }.map { SummedScorer.unansweredFlag(extra: $0.id) }
            flags += unanswered
            if !unanswered.isEmpty { flags.append(SummedScorer.safetyUnansweredFlag) }
            if referAt != nil { flags.append(SummedScorer.referFlag) }
            flags.append(SummedScorer.invalidFlag)
            return flags
        }
    }
}
