import Foundation
import XinyuDomainKit

extension CrisisConfiguration {
    /// Parses crisis.toml strictly; `source` names the file in errors.
    ///
    /// ```toml
    /// [[instruments]]              # added, or replaces the built-in with the same id
    /// id = "sdq-e"                 # required; a-z 0-9 - _ .
    /// version = "2025-1"           # required
    /// title = "SDQ 情绪分量表"       # required
    /// short_name = "SDQ-E"         # default: the id
    /// kind = "summed"              # or "c-ssrs-screener"; default summed
    /// items = 5                    # required for summed
    /// answer_min = 0               # default 0
    /// answer_max = 2               # required for summed
    /// max_missing_to_prorate = 1   # default 0
    /// refer_at = 6                 # optional: flag "refer" at total ≥ 6
    /// bands = [ { lower = 0, upper = 5, name = "normal" }, { lower = 6, upper = 10, name = "high" } ]
    /// item_flags = [ { item = 5, at_least = 1, flag = "item5_positive" } ]
    /// extras = [ { id = "self_harm", flag = "self_harm" } ]   # flag optional
    ///
    /// [policy]                     # rules, when given, replace the default rules
    /// id = "2025-1"                # required when rules are given
    /// rules = [ { instruments = ["phq-a"], flag = "item9_positive", level = 1 } ]  # band / flag / min_total
    /// reviews = [ { instruments = ["phq-a"], flag = "safety_unanswered", within_hours = 24 } ]  # replace the default
    ///
    /// [detection]
    /// creates = "case"             # or "needs_case": what level 1–2 detection creates at once
    ///
    /// [timings]
    /// review_interval_days = { 1 = 7, 2 = 14, 3 = 30 }           # 1…365; levels not given keep defaults
    /// assignment_deadline_minutes = { 1 = 60, 2 = 1440, 3 = 4320 } # 1…43200
    /// concern_acknowledge_minutes = 120                            # 1…10080
    /// ```
    /// Unknown keys, wrong types and out-of-range values throw
    /// `CrisisConfigurationError` naming `source`, the key path and the problem.
    /// Rules are checked against the catalog: unknown instruments, bands or
    /// flags are errors, so a typo cannot silently disable a rule.
    public static func parse(_ toml: String, source: String) throws -> CrisisConfiguration {
        try read(SettingsTable.parse(toml, source: source))
    }

    /// Reads an already parsed settings file (what `PluginSettings.table()` gives), as ``parse(_:source:)``.
    public static func read(_ fields: SettingsTable) throws -> CrisisConfiguration {
        let source = fields.source
        try fields.allowOnly(["instruments", "policy", "timings", "detection"])

        var config = CrisisConfiguration.default
        if let instruments = try fields.tables("instruments") {
            config.catalog = try parseCatalog(instruments, source: source)
        }
        if let policy = try fields.subtable("policy") {
            config.policy = try parsePolicy(policy, base: config.policy)
        }
        try check(config.policy, against: config.catalog, source: source)
        if let timings = try fields.subtable("timings") {
            config.timings = try parseTimings(timings, base: config.timings)
        }
        if let detection = try fields.subtable("detection") {
            try detection.allowOnly(["creates"])
            if let creates = try detection.string("creates") {
                guard let value = CaseDetection.Creates(rawValue: creates) else {
                    let known = CaseDetection.Creates.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                    throw detection.error("creates", "\"\(creates)\" is not known (known: \(known))")
                }
                config.detection.creates = value
            }
        }
        return config
    }

    private static func parseCatalog(_ tables: [SettingsTable], source: String) throws -> InstrumentCatalog {
        var definitions: [InstrumentDefinition] = []
        var pathByID: [String: String] = [:]
        for table in tables {
            let definition = try parseInstrument(table)
            if pathByID[definition.id] != nil {
                throw table.error("id", "\"\(definition.id)\" is defined twice in this file")
            }
            pathByID[definition.id] = table.path
            definitions.append(definition)
        }
        do {
            return try InstrumentCatalog.builtIn.merging(definitions)
        } catch let error as InstrumentDefinitionError {
            let path = pathByID[error.instrument] ?? "instruments"
            throw CrisisConfigurationError(source: source, key: "\(path).\(error.field)", problem: "\(error.problem) (instrument \"\(error.instrument)\")")
        }
    }

    private static func parseInstrument(_ t: SettingsTable) throws(CrisisConfigurationError) -> InstrumentDefinition {
        try t.allowOnly([
            "id", "version", "title", "short_name", "kind", "items", "answer_min", "answer_max",
            "max_missing_to_prorate", "refer_at", "bands", "item_flags", "extras",
        ])
        let id = try t.requiredString("id")
        let kindName = try t.string("kind") ?? InstrumentDefinition.Kind.summed.rawValue
        guard let kind = InstrumentDefinition.Kind(rawValue: kindName) else {
            let known = InstrumentDefinition.Kind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw t.error("kind", "\"\(kindName)\" is not a kind (known: \(known))")
        }
        // The C-SSRS screener's shape is fixed; its keys default to it so an
        // override only needs id, version and title.
        let fixed = kind == .cssrsScreener ? InstrumentDefinition.cssrsScreener : nil
        let itemCount = try t.int("items", in: 1...200) ?? fixed?.itemCount
        guard let itemCount else { throw t.error("items", "is required") }
        let answerMax = try t.int("answer_max", in: 1...100) ?? fixed?.answerMax
        guard let answerMax else { throw t.error("answer_max", "is required") }

        var bands: [InstrumentDefinition.Band] = []
        for band in try t.tables("bands") ?? [] {
            try band.allowOnly(["lower", "upper", "name"])
            bands.append(.init(
                lower: try band.requiredInt("lower", in: 0...100_000),
                upper: try band.requiredInt("upper", in: 0...100_000),
                name: try band.requiredString("name")
            ))
        }
        var itemFlags: [InstrumentDefinition.ItemFlagRule] = []
        for rule in try t.tables("item_flags") ?? [] {
            try rule.allowOnly(["item", "at_least", "flag"])
            itemFlags.append(.init(
                item: try rule.requiredInt("item", in: 1...itemCount),
                atLeast: try rule.requiredInt("at_least", in: 0...100),
                flag: try rule.requiredString("flag")
            ))
        }
        var extras: [InstrumentDefinition.ExtraQuestion] = []
        if let tables = try t.tables("extras") {
            for extra in tables {
                try extra.allowOnly(["id", "flag"])
                extras.append(.init(id: try extra.requiredString("id"), flagWhenYes: try extra.string("flag")))
            }
        } else if let fixed {
            extras = fixed.extras
        }
        return InstrumentDefinition(
            id: id,
            version: try t.requiredString("version"),
            title: try t.requiredString("title"),
            shortName: try t.string("short_name") ?? id,
            kind: kind,
            itemCount: itemCount,
            answerMin: try t.int("answer_min", in: 0...100) ?? 0,
            answerMax: answerMax,
            bands: bands,
            itemFlags: itemFlags,
            extras: extras,
            maxMissingToProrate: try t.int("max_missing_to_prorate", in: 0...200) ?? 0,
            referAt: try t.int("refer_at", in: 0...100_000)
        )
    }

    private static func parsePolicy(_ t: SettingsTable, base: WarningPolicy) throws(CrisisConfigurationError) -> WarningPolicy {
        try t.allowOnly(["id", "rules", "reviews"])
        var policy = base
        if let id = try t.string("id") {
            guard !id.trimmingCharacters(in: .whitespaces).isEmpty else { throw t.error("id", "must not be empty") }
            policy.id = id
        }
        if let tables = try t.tables("reviews") {
            policy.reviewRules = []
            for rule in tables {
                try rule.allowOnly(["instruments", "flag", "within_hours"])
                guard let instruments = try rule.strings("instruments"), !instruments.isEmpty else {
                    throw rule.error("instruments", "must name at least one instrument")
                }
                policy.reviewRules.append(ReviewRule(
                    instruments: instruments, flag: try rule.requiredString("flag"),
                    withinHours: try rule.requiredInt("within_hours", in: 1...720)))
            }
        }
        guard let tables = try t.tables("rules") else { return policy }
        guard t.has("id") else {
            throw t.error("id", "is required when rules are replaced, so explanations name the policy that applied")
        }
        policy.rules = []
        for rule in tables {
            try rule.allowOnly(["instruments", "band", "flag", "min_total", "level"])
            guard let instruments = try rule.strings("instruments") else { throw rule.error("instruments", "is required") }
            guard !instruments.isEmpty else { throw rule.error("instruments", "must name at least one instrument") }
            let parsed = WarningPolicy.Rule(
                instruments: instruments,
                band: try rule.string("band"),
                flag: try rule.string("flag"),
                minTotal: try rule.int("min_total", in: 0...100_000),
                level: try rule.requiredInt("level", in: 1...3)
            )
            guard parsed.band != nil || parsed.flag != nil || parsed.minTotal != nil else {
                throw rule.error("band", "a rule needs at least one of band, flag or min_total")
            }
            policy.rules.append(parsed)
        }
        return policy
    }

    /// Every rule must name instruments, bands and flags that exist.
    private static func check(_ policy: WarningPolicy, against catalog: InstrumentCatalog, source: String) throws(CrisisConfigurationError) {
        for (index, rule) in policy.rules.enumerated() {
            let path = "policy.rules[\(index + 1)]"
            func fail(_ key: String, _ problem: String) -> CrisisConfigurationError {
                CrisisConfigurationError(source: source, key: "\(path).\(key)", problem: problem)
            }
            for id in rule.instruments {
                guard let definition = catalog.definition(id: id) else {
                    throw fail("instruments", "no instrument \"\(id)\" (known: \(catalog.all.map(\.id).joined(separator: ", ")))")
                }
                if let band = rule.band, !definition.possibleBands.contains(band) {
                    throw fail("band", "\(definition.id) has no band \"\(band)\" (known: \(definition.possibleBands.joined(separator: ", ")))")
                }
                if let flag = rule.flag, !definition.possibleFlags.contains(flag) {
                    throw fail("flag", "\(definition.id) never raises \"\(flag)\" (known: \(definition.possibleFlags.joined(separator: ", ")))")
                }
                if rule.minTotal != nil, definition.kind != .summed {
                    throw fail("min_total", "\(definition.id) has no total")
                }
            }
        }
        for (index, rule) in policy.reviewRules.enumerated() {
            let path = "policy.reviews[\(index + 1)]"
            for id in rule.instruments {
                guard let definition = catalog.definition(id: id) else {
                    throw CrisisConfigurationError(source: source, key: "\(path).instruments", problem: "no instrument \"\(id)\" (known: \(catalog.all.map(\.id).joined(separator: ", ")))")
                }
                guard definition.possibleFlags.contains(rule.flag) else {
                    throw CrisisConfigurationError(source: source, key: "\(path).flag", problem: "\(definition.id) never raises \"\(rule.flag)\" (known: \(definition.possibleFlags.joined(separator: ", ")))")
                }
            }
        }
    }

    private static func parseTimings(_ t: SettingsTable, base: CrisisTimings) throws(CrisisConfigurationError) -> CrisisTimings {
        try t.allowOnly(["review_interval_days", "assignment_deadline_minutes", "concern_acknowledge_minutes"])
        var timings = base
        if let table = try t.subtable("review_interval_days") {
            try merge(table, into: &timings.reviewIntervalDays, range: 1...365)
        }
        if let table = try t.subtable("assignment_deadline_minutes") {
            try merge(table, into: &timings.assignmentDeadlineMinutes, range: 1...43_200)
        }
        timings.concernAcknowledgeMinutes = try t.int("concern_acknowledge_minutes", in: 1...10_080) ?? timings.concernAcknowledgeMinutes
        return timings
    }

    /// Reads `{ 1 = x, 2 = y, 3 = z }` keyed by warning level.
    private static func merge(_ t: SettingsTable, into map: inout [Int: Int], range: ClosedRange<Int>) throws(CrisisConfigurationError) {
        try t.allowOnly(["1", "2", "3"])
        for key in ["1", "2", "3"] {
            if let value = try t.int(key, in: range), let level = Int(key) { map[level] = value }
        }
    }
}
