import Foundation
import XinyuStore

/// What `/readyz` answers: ready when the store answers a read and every enabled plugin (one
/// the routing table knows and that is not disabled, at run time too) is ready; otherwise the reasons, one a line, for the operator reading the probe's output.
struct Readiness: Sendable {
    let table: RoutingTable
    let database: SharedDatabase

    /// Empty when ready; else one line per reason ("store: …", "plugin crisis: starting").
    func problems() async -> [String] {
        var problems: [String] = []
        do {
            _ = try await database.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
        } catch {
            problems.append("store: cannot read \(database.path): \(error)")
        }
        for record in table.records where record.state != .disabled && record.state != .ready {
            let detail = record.lastError.isEmpty ? "" : " (\(record.lastError))"
            problems.append("plugin \(record.name): \(record.state.rawValue)\(detail)")
        }
        return problems
    }
}
