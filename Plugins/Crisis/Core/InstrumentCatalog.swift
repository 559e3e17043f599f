/// The instruments a deployment can score, each validated, looked up by id.
public struct InstrumentCatalog: Sendable, Equatable {
    /// Every definition, in the order given (built-ins first when merged by configuration).
    public let all: [InstrumentDefinition]

    /// PHQ-A, PHQ-9, GAD-7 and the C-SSRS screener as published.
    public static let builtIn: InstrumentCatalog = {
        do {
            return try InstrumentCatalog(definitions: [.phqA, .phq9, .gad7, .cssrsScreener])
        } catch {
            // The built-ins are constants checked by the test suite; failing here is a programming error.
            preconditionFailure("built-in instrument definitions are invalid: \(error)")
        }
    }()

    /// Validates every definition and rejects duplicate ids.
    ///
    /// Throws `InstrumentDefinitionError` naming the instrument and field.
    public init(definitions: [InstrumentDefinition]) throws {
        var seen = Set<String>()
        for definition in definitions {
            try definition.validate()
            guard seen.insert(definition.id).inserted else {
                throw InstrumentDefinitionError(instrument: definition.id, field: "id", problem: "defined twice")
            }
        }
        self.all = definitions
    }

    /// The definition with this id, or nil.
    public func definition(id: String) -> InstrumentDefinition? {
        all.first { $0.id == id }
    }

    /// A copy where `definitions` replace built-ins of the same id and the rest are appended.
    public func merging(_ definitions: [InstrumentDefinition]) throws -> InstrumentCatalog {
        var merged = all
        for definition in definitions {
            if let index = merged.firstIndex(where: { $0.id == definition.id }) {
                merged[index] = definition
            } else {
                merged.append(definition)
            }
        }
        return try InstrumentCatalog(definitions: merged)
    }

    /// Scores one questionnaire.
    ///
    /// Throws `ScoringError`: field "instrument" for an unknown id, "items" for
    /// a wrong item count, "item N" for a bad answer, "extras.NAME" for an
    /// unknown or missing extra. Missing answers within the definition's limit
    /// are prorated, beyond it give band "invalid" (not an error).
    public func score(instrumentID: String, answers: ScreeningAnswers) throws -> ScoreResult {
        guard let definition = definition(id: instrumentID) else {
            let known = all.map(\.id).joined(separator: ", ")
            throw ScoringError(field: "instrument", problem: "no instrument \"\(instrumentID)\" (known: \(known))")
        }
        switch definition.kind {
        case .summed: return try SummedScorer.score(answers, with: definition)
        case .cssrsScreener: return try CSSRSScreenerScorer.score(answers, with: definition)
        }
    }
}
