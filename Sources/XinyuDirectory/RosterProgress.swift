import XinyuCoreAPI
import XinyuPluginSDK

/// Roster imports report progress with the SDK's ``ImportProgress``: one event at the start of
/// a phase, then about every 1% of the rows, and one at the end.
enum RosterProgress {
    /// Starts `phase` ("validating" or "importing") of `total` rows on the import's stream.
    static func start(_ phase: String, total: Int, _ stream: ResponseStream<Xinyu_Directory_V1_ImportRosterEvent>) throws -> ImportProgress {
        try ImportProgress(phase: phase, total: total, stream: stream) { (p: Xinyu_Directory_V1_ImportProgress) in .with { $0.progress = p } }
    }
}

extension Xinyu_Directory_V1_ImportProgress: ImportProgressMessage {}
