/// What one version of a plan holds, as far as a reader may see it.
public struct PlanContent: Sendable, Equatable {
    /// One measure (措施) and who does it.
    public struct Measure: Sendable, Equatable, Hashable {
        /// What is done.
        public var description: String
        /// Staff id responsible.
        public var responsible: String

        /// Creates a measure.
        public init(description: String, responsible: String) {
            self.description = description
            self.responsible = responsible
        }
    }

    /// Goals (目标); empty for a reader who may not see them.
    public var goals: [String]
    /// Measures (措施).
    public var measures: [Measure]
    /// The follow-up schedule in words, e.g. "every 7 days × 4 from 2024-10-09"; "" if unknown.
    public var schedule: String

    /// Creates the content of one version.
    public init(goals: [String], measures: [Measure], schedule: String) {
        self.goals = goals
        self.measures = measures
        self.schedule = schedule
    }
}

/// What changed between two versions of a plan, in lines a supervisor reads
/// ("goal added: …", "measure removed: … (T001)", "follow-ups: …"). Pure, so that what a
/// reader may see is diffed, never more: a restricted reader's versions carry no goals.
public enum PlanChanges {
    /// The lines from `previous` to `current`; with no previous version, what `current` started with.
    public static func between(_ previous: PlanContent?, _ current: PlanContent) -> [String] {
        guard let previous else {
            return current.goals.map { "goal: \($0)" }
                + current.measures.map { "measure: \($0.description) (\($0.responsible))" }
                + (current.schedule.isEmpty ? [] : ["follow-ups: \(current.schedule)"])
        }
        var lines: [String] = []
        let oldGoals = Set(previous.goals), newGoals = Set(current.goals)
        lines += current.goals.filter { !oldGoals.contains($0) }.map { "goal added: \($0)" }
        lines += previous.goals.filter { !newGoals.contains($0) }.map { "goal removed: \($0)" }
        let oldMeasures = Set(previous.measures), newMeasures = Set(current.measures)
        lines += current.measures.filter { !oldMeasures.contains($0) }.map { "measure added: \($0.description) (\($0.responsible))" }
        lines += previous.measures.filter { !newMeasures.contains($0) }.map { "measure removed: \($0.description) (\($0.responsible))" }
        if previous.schedule != current.schedule && !current.schedule.isEmpty {
            lines.append(previous.schedule.isEmpty ? "follow-ups: \(current.schedule)" : "follow-ups: \(current.schedule) (was \(previous.schedule))")
        }
        return lines.isEmpty ? ["no change"] : lines
    }
}
