import Foundation
import GRDB
import Testing
import XinyuAudit
import XinyuStore

@Suite("AuditLog.prune")
struct AuditPruneTests {
    @Test("prune deletes entries older than the cutoff and the trail still verifies from the anchor")
    func pruneThenVerify() async throws {
        let (_, log) = try makeAuditLog()
        try await appendSamples(log, count: 20)
        // Entry i is at baseTime + i s: entries 1...10 are older than baseTime + 11 s.
        #expect(try await log.prune(olderThan: baseTime.addingTimeInterval(10.5)) == 10)
        #expect(try await log.verify() == AuditVerification(checked: 10, firstSequence: 11, lastSequence: 20, problem: nil))
        #expect(try await log.query(AuditQuery()).map(\.sequence) == Array(11...20))
        #expect(try await log.whoLookedAt(subject: "S2024-0113", limit: 100).map(\.sequence) == [20, 16, 12])

        #expect(try await log.prune(olderThan: baseTime.addingTimeInterval(10.5)) == 0)
        #expect(try await log.prune(olderThan: baseTime.addingTimeInterval(12.5)) == 2)
        try await log.append([sampleEntry(21)])
        #expect(try await log.verify() == AuditVerification(checked: 9, firstSequence: 13, lastSequence: 21, problem: nil))
    }

    @Test("pruning everything leaves an empty trail that verifies and continues the numbering")
    func pruneAll() async throws {
        let (_, log) = try makeAuditLog()
        try await appendSamples(log, count: 5)
        #expect(try await log.prune(olderThan: .distantFuture) == 5)
        #expect(try await log.verify() == AuditVerification(checked: 0, firstSequence: nil, lastSequence: nil, problem: nil))
        let next = try await log.append([sampleEntry(6)])
        #expect(next.map(\.sequence) == [6])
        #expect(try await log.verify().problem == nil)
    }

    @Test("prune deletes only a prefix: it stops at the first entry at or after the cutoff")
    func prefixOnly() async throws {
        let (_, log) = try makeAuditLog()
        let offsets: [Double] = [1, 2, 10, 3, 4]  // the clock stepped back after entry 3
        try await log.append(offsets.map { offset in
            var entry = sampleEntry(1)
            entry.time = baseTime.addingTimeInterval(offset)
            return entry
        })
        #expect(try await log.prune(olderThan: baseTime.addingTimeInterval(5)) == 2)
        #expect(try await log.query(AuditQuery()).map(\.sequence) == [3, 4, 5])
        #expect(try await log.verify().problem == nil)
    }

    @Test("the DELETE triggers are back in force after pruning")
    func guardRemoved() async throws {
        let (database, log) = try makeAuditLog()
        try await appendSamples(log, count: 5)
        try await log.prune(olderThan: baseTime.addingTimeInterval(2.5))
        #expect(throws: DatabaseError.self) { try tamper(database, "DELETE FROM audit_entries") }
        let guardRows = try database.readSync { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_prune_guard") }
        #expect(guardRows == 0)
    }

    @Test("a tampered retention anchor is detected", arguments: [
        "UPDATE audit_anchor SET hash = (SELECT hash FROM audit_entries WHERE sequence = 12)",
        "UPDATE audit_anchor SET sequence = 12",
        "UPDATE audit_anchor SET mac = hash",
    ])
    func tamperedAnchor(sql: String) async throws {
        let (database, log) = try makeAuditLog()
        try await appendSamples(log, count: 20)
        try await log.prune(olderThan: baseTime.addingTimeInterval(10.5))
        try tamper(database, sql)
        let problem = try #require(try await log.verify().problem)
        #expect(problem.kind == .anchorMismatch)
    }

    @Test("hiding more deletions behind a moved anchor is detected")
    func anchorMovedOverDeletion() async throws {
        let (database, log) = try makeAuditLog()
        try await appendSamples(log, count: 20)
        try await log.prune(olderThan: baseTime.addingTimeInterval(10.5))
        try dropTriggers(database)
        // Delete 11 and 12, and point the anchor at 12 with 12's real hash: the seal no longer fits.
        try tamper(database, """
            UPDATE audit_anchor SET sequence = 12, hash = (SELECT hash FROM audit_entries WHERE sequence = 12)
            """)
        try tamper(database, "DELETE FROM audit_entries WHERE sequence <= 12")
        let problem = try #require(try await log.verify().problem)
        #expect(problem == AuditChainBreak(
            sequence: 12, kind: .anchorMismatch,
            description: "the retention anchor at entry 12 does not match its seal (anchorMismatch)"))
    }

    @Test("a deleted anchor shows the pruned entries as missing")
    func deletedAnchor() async throws {
        let (database, log) = try makeAuditLog()
        try await appendSamples(log, count: 20)
        try await log.prune(olderThan: baseTime.addingTimeInterval(10.5))
        try tamper(database, "DELETE FROM audit_anchor")
        #expect(try await log.verify().problem == AuditChainBreak(
            sequence: 1, kind: .deleted, description: "entries 1–10 are missing (deleted)"))
    }

    @Test("prune refuses to delete (and seal over) a tampered stretch")
    func refusesBrokenPrefix() async throws {
        let (database, log) = try makeAuditLog()
        try await appendSamples(log, count: 10)
        try dropTriggers(database)
        try tamper(database, "UPDATE audit_entries SET principal_id = 'operator' WHERE sequence = 3")
        let error = await #expect(throws: AuditError.self) {
            try await log.prune(olderThan: baseTime.addingTimeInterval(5.5))
        }
        guard case let .chainBroken(problem) = error else {
            Issue.record("expected chainBroken, got \(String(describing: error))")
            return
        }
        #expect(problem.sequence == 3)
        #expect(try await log.query(AuditQuery()).count == 10)
    }
}
