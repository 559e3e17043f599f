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
            return [CSSRSScreenerScorer.imminentFlag]
        case .summed:
            var flags = itemFlags.map(\.flag) + extras.compactMap(\.flagWhenYes)
            if referAt != nil { flags.append(SummedScorer.referFlag) }
            flags.append(SummedScorer.invalidFlag)
            return flags
        }
    }
}
