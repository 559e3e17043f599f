import XinyuCoreAPI
import XinyuPluginSDK

/// Sends `ImportProgress` events for one phase: one at the start, then about every 1% of the
/// rows, and one at the end, so a progress bar moves smoothly without flooding the connection.
struct ImportProgressReporter {
    let phase: String
    let total: Int
    let stream: ResponseStream<Xinyu_Directory_V1_ImportRosterEvent>
    private let step: Int
    private var next: Int

    /// Creates the reporter and sends the phase's first event (done 0).
    init(phase: String, total: Int, stream: ResponseStream<Xinyu_Directory_V1_ImportRosterEvent>) throws {
        self.phase = phase
        self.total = total
        self.stream = stream
        step = max(1, total / 100)
        next = step
        try send(0)
    }

    /// Reports that `done` rows are finished; sends only when another step was reached.
    mutating func advance(to done: Int) throws {
        guard done >= next || done == total else { return }
        next = done + step
        try send(done)
    }

    private func send(_ done: Int) throws {
        var progress = Xinyu_Directory_V1_ImportProgress()
        progress.phase = phase
        progress.done = Int64(done)
        progress.total = Int64(total)
        var event = Xinyu_Directory_V1_ImportRosterEvent()
        event.progress = progress
        try stream.send(event)
    }
}
