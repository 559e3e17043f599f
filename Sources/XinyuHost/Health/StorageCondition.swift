import Foundation
import Logging
import NIOConcurrencyHelpers
import XinyuPluginSDK
import XinyuRPC

/// Whether the shared database can take writes, as the host last saw it in the calls it routed.
///
/// A write refused because the disk is full answers RESOURCE_EXHAUSTED with the trailer
/// ``ServiceDispatcher/storageFullTrailer`` (the SDK adds it, for plugins and the host's own
/// services alike): from then on Health says "degraded" and Host/Status and `xinyu plugins` show
/// "storage: full since …". Reads go on being served. The first write that succeeds again (a
/// mutating method ending OK, not a replayed answer) clears it.
final class StorageCondition: Sendable {
    /// The database is full.
    struct Full: Sendable, Equatable {
        /// When the first refused write was seen.
        var since: Date
        /// The database file named in the refusal.
        var database: String
        /// Who refused it: "host" or a plugin's name.
        var reportedBy: String
        /// Writes refused since.
        var refusedWrites: Int
    }

    private let state = NIOLockedValueBox<Full?>(nil)
    private let logger: Logger

    init(logger: Logger) { self.logger = logger }

    /// The condition now: nil when writes succeed.
    var full: Full? { state.withLockedValue { $0 } }

    /// A routed call ended: served by `servedBy` ("host" or a plugin), of a method that
    /// `mutates` or not, with `status`.
    func callEnded(servedBy: String, mutates: Bool, status: CallStatus, now: Date = Date()) {
        if status.code == .resourceExhausted, let database = status.trailers.first(where: { $0.key == ServiceDispatcher.storageFullTrailer })?.value {
            let first = state.withLockedValue { full -> Bool in
                if full == nil {
                    full = Full(since: now, database: database, reportedBy: servedBy, refusedWrites: 1)
                    return true
                }
                full!.refusedWrites += 1
                return false
            }
            if first {
                logger.error("storage full: writes are refused (RESOURCE_EXHAUSTED) until space is freed; reads are served", metadata: ["database": "\(database)", "reported_by": "\(servedBy)"])
            }
            return
        }
        // A replayed answer wrote nothing, so it proves nothing about space.
        guard mutates, status.code == .ok, !status.trailers.contains(where: { $0.key == "xinyu-idempotent-replay" }) else { return }
        guard let cleared = state.withLockedValue({ full -> Full? in defer { full = nil }; return full }) else { return }
        logger.notice("storage writable again", metadata: [
            "database": "\(cleared.database)", "full_for_ms": "\(Int(now.timeIntervalSince(cleared.since) * 1000))",
            "refused_writes": "\(cleared.refusedWrites)", "written_by": "\(servedBy)",
        ])
    }

    /// "full since 2026-11-29T16:50:01Z (database /var/xinyu.sqlite; 3 writes refused, reported by crisis)".
    static func describe(_ full: Full) -> String {
        let since = ISO8601DateFormatter().string(from: full.since)
        let writes = full.refusedWrites == 1 ? "1 write refused" : "\(full.refusedWrites) writes refused"
        return "full since \(since) (database \(full.database); \(writes), reported by \(full.reportedBy)); writes answer RESOURCE_EXHAUSTED, reads are served"
    }
}
