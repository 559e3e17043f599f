import SwiftProtobuf

/// A plugin's `ImportProgress` message (`string phase = 1; int64 done = 2; int64 total = 3;`):
/// declare the conformance (`extension Xinyu_X_V1_ImportProgress: ImportProgressMessage {}`)
/// and ``ImportProgress`` fills and sends it.
public protocol ImportProgressMessage: SwiftProtobuf.Message {
    /// The phase, e.g. "validating" or "importing".
    var phase: String { get set }
    /// Rows finished so far.
    var done: Int64 { get set }
    /// Rows in the phase.
    var total: Int64 { get set }
}

/// Progress through one phase of a streaming import: one report at the start (done 0), then
/// about every 1/`updates` of the rows, and one at the end (done = total), so a progress bar
/// moves smoothly without flooding the connection. Row counts, not time, decide when to
/// report, so what a client sees for a given file is always the same.
///
/// ```swift
/// var validating = try ImportProgress(phase: "validating", total: rows.count, stream: stream) { (p: Xinyu_Directory_V1_ImportProgress) in
///     .with { $0.progress = p }
/// }
/// for (index, row) in rows.enumerated() { …; try validating.advance(to: index + 1) }
/// ```
public struct ImportProgress {
    /// The phase every report names.
    public let phase: String
    /// Rows in the phase.
    public let total: Int
    private let step: Int
    private var next: Int
    private let send: (_ phase: String, _ done: Int, _ total: Int) throws -> Void

    /// Starts the phase and reports done 0 through `send`.
    /// - Parameter updates: about how many reports the rows between start and end give (at least one row apart).
    public init(phase: String, total: Int, updates: Int = 100, send: @escaping (_ phase: String, _ done: Int, _ total: Int) throws -> Void) throws {
        self.phase = phase
        self.total = total
        self.send = send
        step = max(1, total / max(1, updates))
        next = step
        try send(phase, 0, total)
    }

    /// Starts the phase on a server stream: each report is a `Progress` message wrapped in the
    /// stream's event by `event`.
    public init<Progress: ImportProgressMessage, Event>(
        phase: String, total: Int, updates: Int = 100, stream: ResponseStream<Event>, event: @escaping (Progress) -> Event
    ) throws {
        try self.init(phase: phase, total: total, updates: updates) { phase, done, total in
            var progress = Progress()
            progress.phase = phase
            progress.done = Int64(done)
            progress.total = Int64(total)
            try stream.send(event(progress))
        }
    }

    /// Notes that `done` rows are finished; reports only when another step, or the end, is reached.
    public mutating func advance(to done: Int) throws {
        guard done >= next || done == total else { return }
        next = done + step
        try send(phase, done, total)
    }
}
