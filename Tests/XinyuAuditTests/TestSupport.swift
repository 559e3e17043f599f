import Crypto
import Foundation
import GRDB
import XinyuAudit
import XinyuStore

/// A fresh temporary database with the audit tables, and a log over it with a random key.
func makeAuditLog() throws -> (SharedDatabase, AuditLog) {
    let database = try SharedDatabase.temporary()
    try database.migrate(owner: AuditLog.owner, AuditLog.migrations)
    return (database, AuditLog(database: database, key: SymmetricKey(size: .bits256)))
}

/// Fixed instants, whole milliseconds, so stored entries compare equal to the ones appended.
let baseTime = Date(timeIntervalSince1970: 1_740_000_000.123)

/// A detail in Chinese (no personal data: a reason, as the contract demands).
let chineseDetail = "缺少权限 crisis.notes.read（心理危机个案笔记）"

/// Entry number `i` of a test trail: principals, methods, outcomes and subjects vary with `i`.
func sampleEntry(_ i: Int) -> AuditEntry {
    AuditEntry(
        time: baseTime.addingTimeInterval(Double(i)),
        principalID: i % 3 == 0 ? "staff:T0012" : "agency:kangning",
        principalKind: i % 3 == 0 ? "person" : "agency",
        source: "tcp 10.0.0.5:\(50_000 + i)",
        method: i % 2 == 0 ? "xinyu.crisis.v1.Crisis/GetCase" : "xinyu.directory.v1.Directory/GetStudent",
        outcome: i % 5 == 0 ? "PERMISSION_DENIED" : "OK",
        detail: i % 5 == 0 ? chineseDetail : "",
        subjects: i % 4 == 0 ? ["S2024-0113", "S2024-\(i)"] : ["S2024-\(i)"])
}

/// Appends entries 1...count, one transaction.
@discardableResult
func appendSamples(_ log: AuditLog, count: Int) async throws -> [AuditRecord] {
    try await log.append((1...count).map(sampleEntry))
}

/// Drops the append-only triggers, as an attacker with write access to the file would.
func dropTriggers(_ database: SharedDatabase) throws {
    try database.writeSync { db in
        for name in ["audit_entries_no_update", "audit_entries_no_delete", "audit_subjects_no_update", "audit_subjects_no_delete"] {
            try db.execute(sql: "DROP TRIGGER \(name)")
        }
    }
}

/// Runs raw SQL on the file, as an attacker would.
func tamper(_ database: SharedDatabase, _ sql: String, _ arguments: StatementArguments = []) throws {
    try database.writeSync { db in try db.execute(sql: sql, arguments: arguments) }
}
