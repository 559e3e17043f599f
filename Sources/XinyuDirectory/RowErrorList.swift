import XinyuCoreAPI

/// The row errors of one import, capped so a hopeless file (a wrong kind, a shifted column)
/// cannot produce a report larger than a message may be.
struct RowErrorList {
    static let cap = 1000

    private(set) var shown: [Xinyu_Directory_V1_RowError] = []
    /// Every error found, including those not kept.
    private(set) var count = 0

    mutating func add(line: Int, field: String, problem: String) {
        count += 1
        guard shown.count < Self.cap else { return }
        var error = Xinyu_Directory_V1_RowError()
        error.line = Int64(line)
        error.field = field
        error.problem = problem
        shown.append(error)
    }

    /// The errors to report: the first ``cap``, then one with line 0 saying how many more there are.
    var report: [Xinyu_Directory_V1_RowError] {
        guard count > shown.count else { return shown }
        var more = Xinyu_Directory_V1_RowError()
        more.line = 0
        more.problem = "\(count - shown.count) more error(s) not shown; fix these and check the file again"
        return shown + [more]
    }
}
