import Synchronization

/// Calls answered per plugin since the run began, OK and not OK, shared by every worker.
final class SoakCounters: Sendable {
    /// One plugin's totals.
    struct Totals: Sendable {
        var ok = 0
        var failed = 0
        /// The first few distinct failures, "Method: CODE: message", for the report.
        var examples: [String] = []
    }

    private let totals = Mutex<[String: Totals]>([:])

    /// Records one answered call to `plugin`.
    func record(_ plugin: String, ok: Bool, failure: String? = nil) {
        totals.withLock { all in
            var t = all[plugin, default: Totals()]
            if ok { t.ok += 1 } else { t.failed += 1 }
            if let failure, t.examples.count < 5, !t.examples.contains(failure) { t.examples.append(failure) }
            all[plugin] = t
        }
    }

    /// A copy of every plugin's totals.
    var snapshot: [String: Totals] { totals.withLock { $0 } }
}
