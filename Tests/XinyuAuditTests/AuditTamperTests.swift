import Crypto
import Foundation
import GRDB
import Testing
import XinyuAudit
import XinyuStore

/// Someone with write access to the database file (but not the key) drops the triggers and edits rows.
@Suite("AuditLog.verify detects tampering")
struct AuditTamperTests {
    /// A trail of ten entries whose triggers an attacker has dropped.
    static func tamperableTrail() async throws -> (SharedDatabase, AuditLog) {
        let (database, log) = try makeAuditLog()
        try await appendSamples(log, count: 10)
        try dropTriggers(database)
        return (database, log)
    }

    @Test("an edited method is named as edited at its sequence")
    func editedMethod() async throws {
        let (database, log) = try await Self.tamperableTrail()
        try tamper(database, "UPDATE audit_entries SET method = 'xinyu.crisis.v1.Crisis/ListCases' WHERE sequence = 5")
        let verification = try await log.verify()
        #expect(verification.checked == 4)
        #expect(verification.problem == AuditChainBreak(
            sequence: 5, kind: .edited, description: "entry 5: contents do not match its hash (edited)"))
    }

    @Test("edits to any column are caught", arguments: [
        "UPDATE audit_entries SET time = '2020-01-01T00:00:00.000Z' WHERE sequence = 6",
        "UPDATE audit_entries SET principal_id = 'operator' WHERE sequence = 6",
        "UPDATE audit_entries SET outcome = 'CANCELLED' WHERE sequence = 6",
        "UPDATE audit_entries SET detail = 'scope violation' WHERE sequence = 6",
        "UPDATE audit_entries SET source = 'unix' WHERE sequence = 6",
        "UPDATE audit_entries SET principal_kind = 'operator' WHERE sequence = 6",
        "UPDATE audit_entries SET subjects = '[]' WHERE sequence = 6",
        "UPDATE audit_entries SET subjects = 'not json' WHERE sequence = 6",
        "UPDATE audit_entries SET hash = 'zz' WHERE sequence = 6",
    ])
    func editedColumns(sql: String) async throws {
        let (database, log) = try await Self.tamperableTrail()
        try tamper(database, sql)
        let problem = try #require(try await log.verify().problem)
        #expect(problem.sequence == 6)
        #expect(problem.kind == .edited)
    }

    @Test("a deleted middle entry (or run of entries) is named as deleted")
    func deletedMiddle() async throws {
        let (database, log) = try await Self.tamperableTrail()
        try tamper(database, "DELETE FROM audit_entries WHERE sequence = 5")
        #expect(try await log.verify().problem == AuditChainBreak(
            sequence: 5, kind: .deleted, description: "entry 5 is missing (deleted)"))
        try tamper(database, "DELETE FROM audit_entries WHERE sequence IN (6, 7)")
        #expect(try await log.verify().problem?.description == "entries 5–7 are missing (deleted)")
    }

    @Test("entries deleted from the start, with no retention anchor, are named as deleted")
    func deletedStart() async throws {
        let (database, log) = try await Self.tamperableTrail()
        try tamper(database, "DELETE FROM audit_entries WHERE sequence <= 2")
        #expect(try await log.verify().problem == AuditChainBreak(
            sequence: 1, kind: .deleted, description: "entries 1–2 are missing (deleted)"))
    }

    @Test("two entries swapped whole (hashes and all) are named as reordered")
    func swappedRows() async throws {
        let (database, log) = try await Self.tamperableTrail()
        try Self.swap(database, 5, 6, columns: Self.allColumns)
        let verification = try await log.verify()
        #expect(verification.checked == 4)
        #expect(verification.problem == AuditChainBreak(
            sequence: 5, kind: .reordered, description: "entry 5: holds the contents of entry 6 (reordered)"))
    }

    @Test("two entries' contents swapped, hashes left in place, are named as reordered")
    func swappedContents() async throws {
        let (database, log) = try await Self.tamperableTrail()
        try Self.swap(database, 3, 8, columns: Array(Self.allColumns.dropLast(2)))
        #expect(try await log.verify().problem == AuditChainBreak(
            sequence: 3, kind: .reordered, description: "entry 3: holds the contents of entry 8 (reordered)"))
    }

    @Test("entries deleted from the end are caught by the head record")
    func deletedTail() async throws {
        let (database, log) = try await Self.tamperableTrail()
        try tamper(database, "DELETE FROM audit_entries WHERE sequence >= 8")
        let verification = try await log.verify()
        #expect(verification.checked == 7)
        #expect(verification.lastSequence == 7)
        #expect(verification.problem == AuditChainBreak(
            sequence: 8, kind: .deleted, description: "entries 8–10 are missing (deleted)"))
    }

    @Test("a head record rewritten to hide a deleted tail is caught")
    func forgedHead() async throws {
        let (database, log) = try await Self.tamperableTrail()
        try tamper(database, "DELETE FROM audit_entries WHERE sequence >= 8")
        // The attacker can read entry 7's hash, but cannot seal a head naming it without the key.
        try tamper(database, """
            UPDATE audit_head SET sequence = 7, hash = (SELECT hash FROM audit_entries WHERE sequence = 7)
            """)
        let problem = try #require(try await log.verify().problem)
        #expect(problem.kind == .headMismatch)
        #expect(problem.sequence == 7)
        // An honest append after the forgery does not launder it.
        try await log.append([sampleEntry(11)])
        let after = try #require(try await log.verify().problem)
        #expect(after.kind == .headMismatch)
        #expect(after.sequence == 8)
    }

    @Test("a deleted head record is caught")
    func deletedHead() async throws {
        let (database, log) = try await Self.tamperableTrail()
        try tamper(database, "DELETE FROM audit_entries WHERE sequence = 10")
        try tamper(database, "DELETE FROM audit_head")
        let problem = try #require(try await log.verify().problem)
        #expect(problem.kind == .headMismatch)
        #expect(problem.sequence == 10)
        // Appending still works, and does not paper over the tampering.
        let next = try await log.append([sampleEntry(11)])
        #expect(next.map(\.sequence) == [10])
        let after = try #require(try await log.verify().problem)
        #expect(after.kind == .headMismatch)
        #expect(after.sequence == 10)
        #expect(after.description.contains("entries before it may have been deleted"))
    }

    @Test("an edit re-sealed with plain SHA-256 (no key) is still caught, even with the rest of the chain redone")
    func fakeUnkeyedHash() async throws {
        let (database, log) = try await Self.tamperableTrail()
        try tamper(database, "UPDATE audit_entries SET outcome = 'OK', detail = '' WHERE sequence = 5")
        // Recompute every hash from 5 on as SHA-256(prev_hash || fields), and the head to match.
        try database.writeSync { db in
            var previous = try String.fetchOne(db, sql: "SELECT hash FROM audit_entries WHERE sequence = 4")!
            for row in try Row.fetchAll(db, sql: "SELECT * FROM audit_entries WHERE sequence >= 5 ORDER BY sequence") {
                let fields: [String] = ["time", "principal_id", "principal_kind", "source", "method", "outcome", "detail", "subjects"]
                    .map { row[$0] }
                let digest = SHA256.hash(data: Data((previous + fields.joined(separator: "|")).utf8))
                let hash = digest.map { String(format: "%02x", $0) }.joined()
                try db.execute(sql: "UPDATE audit_entries SET prev_hash = ?, hash = ? WHERE sequence = ?",
                               arguments: [previous, hash, row["sequence"] as Int64])
                previous = hash
            }
            try db.execute(sql: "UPDATE audit_head SET hash = ?", arguments: [previous])
        }
        #expect(try await log.verify().problem == AuditChainBreak(
            sequence: 5, kind: .edited, description: "entry 5: contents do not match its hash (edited)"))
    }

    @Test("a forged entry inserted at the end is caught")
    func insertedEntry() async throws {
        let (database, log) = try await Self.tamperableTrail()
        try tamper(database, """
            INSERT INTO audit_entries SELECT 11, time, principal_id, principal_kind, source, method, outcome,
                detail, subjects, hash, hash FROM audit_entries WHERE sequence = 10
            """)
        let problem = try #require(try await log.verify().problem)
        #expect(problem.sequence == 11)
    }

    static let allColumns = [
        "time", "principal_id", "principal_kind", "source", "method", "outcome", "detail", "subjects", "prev_hash", "hash",
    ]

    /// Swaps `columns` between entries `a` and `b`.
    static func swap(_ database: SharedDatabase, _ a: Int64, _ b: Int64, columns: [String]) throws {
        try database.writeSync { db in
            let rowA = try Row.fetchOne(db, sql: "SELECT * FROM audit_entries WHERE sequence = ?", arguments: [a])!
            let rowB = try Row.fetchOne(db, sql: "SELECT * FROM audit_entries WHERE sequence = ?", arguments: [b])!
            let assignments = columns.map { "\($0) = ?" }.joined(separator: ", ")
            let sql = "UPDATE audit_entries SET \(assignments) WHERE sequence = ?"
            try db.execute(sql: sql, arguments: StatementArguments(columns.map { rowB[$0] as DatabaseValue } + [a.databaseValue]))
            try db.execute(sql: sql, arguments: StatementArguments(columns.map { rowA[$0] as DatabaseValue } + [b.databaseValue]))
        }
    }
}
