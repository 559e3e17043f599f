import Foundation
import GRDB
import XinyuStore

/// Reads the figures that are a state rather than an event, at each scrape, and sets them as
/// gauges on ``HostMetrics``: plugins, calls in flight, outbox backlog, timers due, database and
/// WAL size, free disk, audit backlog, connections.
///
/// Everything here is cheap: the outbox and timer counts are index seeks on the reader pool
/// (never the writer), sizes are `stat` calls.
struct MetricsSampler: Sendable {
    let metrics: HostMetrics
    let table: RoutingTable
    let database: SharedDatabase
    let auditDatabasePath: String
    let auditBacklog: @Sendable () -> Int
    let callsInFlight: @Sendable () -> Int
    let clientConnections: @Sendable () -> Int

    /// Updates every sampled gauge; a figure that cannot be read is left at its last value
    /// (the scrape still answers) and `xinyu_metrics_sample_errors_total` grows.
    func sample(now: Date = Date()) async {
        let records = table.records
        for record in records {
            metrics.set("xinyu_plugin_up", ["plugin": record.name], record.state == .ready ? 1 : 0)
            metrics.set("xinyu_plugin_restarts", ["plugin": record.name], Double(record.restarts))
            for state in [PluginRecord.State.starting, .ready, .degraded, .restarting, .failed, .stopped, .disabled] {
                metrics.set("xinyu_plugin_state", ["plugin": record.name, "state": state.rawValue], record.state == state ? 1 : 0)
            }
        }
        metrics.set("xinyu_calls_in_flight", Double(callsInFlight()))
        metrics.set("xinyu_client_connections", Double(clientConnections()))
        metrics.set("xinyu_audit_backlog_entries", Double(auditBacklog()))
        metrics.set("xinyu_database_bytes", Self.fileSize(database.path))
        metrics.set("xinyu_database_wal_bytes", Self.fileSize(database.path + "-wal"))
        metrics.set("xinyu_audit_database_bytes", Self.fileSize(auditDatabasePath))
        metrics.set("xinyu_audit_database_wal_bytes", Self.fileSize(auditDatabasePath + "-wal"))
        if let free = Self.freeBytes(database.path) { metrics.set("xinyu_disk_free_bytes", free) }

        let subscribers = records.compactMap { record in record.manifest.map { (record.name, $0.subscribes) } }.filter { !$0.1.isEmpty }
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        do {
            let figures = try await database.read { db in try Self.storeFigures(db, subscribers: subscribers, nowMs: nowMs) }
            for backlog in figures.backlogs {
                metrics.set("xinyu_outbox_backlog_events", ["subscriber": backlog.subscriber], Double(backlog.events))
                metrics.set("xinyu_outbox_oldest_age_seconds", ["subscriber": backlog.subscriber], Double(backlog.oldestAgeMs) / 1000)
            }
            metrics.set("xinyu_timers_due", Double(figures.timersDue))
        } catch {
            metrics.sampleFailed()
        }
    }

    struct Backlog: Sendable {
        var subscriber: String
        var events: Int
        var oldestAgeMs: Int64
    }

    struct StoreFigures: Sendable {
        var backlogs: [Backlog]
        var timersDue: Int
    }

    /// Per subscriber: events past its cursor on its topics, and the age of the oldest of them.
    /// Timers whose fire time has passed and that have not fired: due, waiting for their plugin.
    static func storeFigures(_ db: Database, subscribers: [(String, [String])], nowMs: Int64) throws -> StoreFigures {
        var backlogs: [Backlog] = []
        for (subscriber, topics) in subscribers {
            let cursor = try Int64.fetchOne(db, sql: "SELECT last_event_id FROM xinyu_outbox_cursor WHERE subscriber = ?", arguments: [subscriber]) ?? 0
            let marks = Array(repeating: "?", count: topics.count).joined(separator: ", ")
            var arguments: StatementArguments = [cursor]
            for topic in topics { _ = arguments.append(contentsOf: [topic]) }
            let row = try Row.fetchOne(db, sql: "SELECT count(*), min(recorded_at_ms) FROM xinyu_outbox WHERE id > ? AND topic IN (\(marks))", arguments: arguments)
            let count: Int = row?[0] ?? 0
            let oldest: Int64? = row?[1]
            backlogs.append(Backlog(subscriber: subscriber, events: count, oldestAgeMs: oldest.map { max(0, nowMs - $0) } ?? 0))
        }
        let due = try Int.fetchOne(db, sql: "SELECT count(*) FROM xinyu_timers WHERE fired_at_ms IS NULL AND fire_at_ms <= ?", arguments: [nowMs]) ?? 0
        return StoreFigures(backlogs: backlogs, timersDue: due)
    }

    static func fileSize(_ path: String) -> Double {
        var info = stat()
        return stat(path, &info) == 0 ? Double(info.st_size) : 0
    }

    /// Bytes an unprivileged writer can still use on the database's file system.
    static func freeBytes(_ path: String) -> Double? {
        var info = statvfs()
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard statvfs(folder, &info) == 0 else { return nil }
        return Double(info.f_bavail) * Double(info.f_frsize)
    }
}
