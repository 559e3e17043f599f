import Crypto
import Foundation
import GRDB
import Testing
import XinyuAudit
import XinyuStore

@Suite("AuditLog append, query, whoLookedAt")
struct AuditLogTests {
    @Test("append stores every field in order; an intact trail verifies")
    func appendAndVerify() async throws {
        let (_, log) = try makeAuditLog()
        let records = try await appendSamples(log, count: 10)
        #expect(records.map(\.sequence) == Array(1...10))
        #expect(records.map(\.entry) == (1...10).map(sampleEntry))
        let more = try await log.append([sampleEntry(11)])
        #expect(more.map(\.sequence) == [11])

        let stored = try await log.query(AuditQuery())
        #expect(stored == records + more)
        #expect(stored[4].entry.detail == chineseDetail)
        #expect(Set(stored.map(\.hash)).count == 11)
        #expect(stored.allSatisfy { $0.hash.count == 64 })

        let verification = try await log.verify()
        #expect(verification == AuditVerification(checked: 11, firstSequence: 1, lastSequence: 11, problem: nil))
        #expect(verification.isIntact)
    }

    @Test("an empty trail verifies; appending nothing changes nothing")
    func emptyTrail() async throws {
        let (_, log) = try makeAuditLog()
        #expect(try await log.append([]) == [])
        #expect(try await log.verify() == AuditVerification(checked: 0, firstSequence: nil, lastSequence: nil, problem: nil))
    }

    @Test("thousands of entries over many transactions verify, with Chinese text throughout")
    func manyEntries() async throws {
        let (_, log) = try makeAuditLog()
        for batch in 0..<10 {
            try await log.append((0..<300).map { i in
                var entry = sampleEntry(batch * 300 + i)
                entry.detail = "第\(batch)批：范围违规"
                return entry
            })
        }
        let verification = try await log.verify()
        #expect(verification.checked == 3000)
        #expect(verification.lastSequence == 3000)
        #expect(verification.problem == nil)
    }

    @Test("times are stored to the millisecond, truncated; the returned record says so")
    func millisecondTimes() async throws {
        let (_, log) = try makeAuditLog()
        var entry = sampleEntry(1)
        entry.time = Date(timeIntervalSince1970: 1_740_000_000.123_9)
        let record = try #require(try await log.append([entry]).first)
        #expect(abs(record.entry.time.timeIntervalSince1970 - 1_740_000_000.123) < 0.000_01)
        #expect(try await log.query(AuditQuery()) == [record])
    }

    @Test("query filters by principal, method (exact or prefix*), outcome, subject and time")
    func queryFilters() async throws {
        let (_, log) = try makeAuditLog()
        try await appendSamples(log, count: 40)
        let byPrincipal = try await log.query(AuditQuery(principalID: "staff:T0012"))
        #expect(byPrincipal.map(\.sequence) == stride(from: 3, through: 39, by: 3).map(Int64.init))

        let exact = try await log.query(AuditQuery(method: "xinyu.crisis.v1.Crisis/GetCase"))
        #expect(exact.count == 20)
        #expect(try await log.query(AuditQuery(method: "xinyu.crisis.v1.Crisis/Get")).isEmpty)
        let prefix = try await log.query(AuditQuery(method: "xinyu.directory.*"))
        #expect(prefix.map(\.sequence) == stride(from: 1, through: 39, by: 2).map(Int64.init))

        let denied = try await log.query(AuditQuery(outcome: "PERMISSION_DENIED"))
        #expect(denied.map(\.sequence) == [5, 10, 15, 20, 25, 30, 35, 40])

        let student = try await log.query(AuditQuery(subject: "S2024-0113"))
        #expect(student.map(\.sequence) == stride(from: 4, through: 40, by: 4).map(Int64.init))

        let window = try await log.query(AuditQuery(
            from: baseTime.addingTimeInterval(10), to: baseTime.addingTimeInterval(15)))
        #expect(window.map(\.sequence) == [10, 11, 12, 13, 14])

        let combined = try await log.query(AuditQuery(
            principalID: "staff:T0012", method: "xinyu.crisis.*", subject: "S2024-0113", outcome: "OK"))
        #expect(combined.map(\.sequence) == [12, 24, 36])
    }

    @Test("query pages with afterSequence and caps limit")
    func queryPaging() async throws {
        let (_, log) = try makeAuditLog()
        try await appendSamples(log, count: 25)
        var seen: [Int64] = []
        var after: Int64? = nil
        while true {
            let page = try await log.query(AuditQuery(limit: 10, afterSequence: after))
            guard let last = page.last else { break }
            #expect(page.count <= 10)
            seen += page.map(\.sequence)
            after = last.sequence
        }
        #expect(seen == Array(1...25))
        #expect(try await log.query(AuditQuery(limit: 0)).isEmpty)
        #expect(try await log.query(AuditQuery(limit: -5)).isEmpty)
        #expect(try await log.query(AuditQuery(limit: 1_000_000)).count == 25)
        #expect(try await log.query(AuditQuery()).count == 25)
    }

    @Test("whoLookedAt returns only entries touching the student, newest first, and pages back")
    func whoLookedAt() async throws {
        let (_, log) = try makeAuditLog()
        try await appendSamples(log, count: 40)
        // A subject listed twice in one entry is indexed once.
        try await log.append([AuditEntry(
            time: baseTime, principalID: "plugin:crisis", principalKind: "plugin", source: "plugin crisis",
            method: "xinyu.crisis.v1.Crisis/Escalate", outcome: "OK", subjects: ["S2024-0113", "S2024-0113"])])

        let all = try await log.whoLookedAt(subject: "S2024-0113", limit: 100)
        #expect(all.map(\.sequence) == [41] + stride(from: 40, through: 4, by: -4).map(Int64.init))
        #expect(all.allSatisfy { $0.entry.subjects.contains("S2024-0113") })
        #expect(all.first?.entry.principalID == "plugin:crisis")

        let firstPage = try await log.whoLookedAt(subject: "S2024-0113", limit: 3)
        #expect(firstPage.map(\.sequence) == [41, 40, 36])
        let nextPage = try await log.whoLookedAt(subject: "S2024-0113", limit: 3, beforeSequence: 36)
        #expect(nextPage.map(\.sequence) == [32, 28, 24])

        #expect(try await log.whoLookedAt(subject: "S2024-7", limit: 10).map(\.sequence) == [7])
        #expect(try await log.whoLookedAt(subject: "nobody", limit: 10).isEmpty)
        #expect(try await log.whoLookedAt(subject: "S2024-0113", limit: 0).isEmpty)
    }

    @Test("triggers refuse UPDATE and DELETE of entries and the subject index")
    func triggersBlockChanges() async throws {
        let (database, log) = try makeAuditLog()
        try await appendSamples(log, count: 3)
        let statements = [
            "UPDATE audit_entries SET method = 'x' WHERE sequence = 2",
            "DELETE FROM audit_entries WHERE sequence = 3",
            "DELETE FROM audit_entries",
            "UPDATE audit_subjects SET subject = 'x'",
            "DELETE FROM audit_subjects",
        ]
        for sql in statements {
            let error = #expect(throws: DatabaseError.self) { try tamper(database, sql) }
            #expect(error?.message?.contains("append-only") == true, "\(sql)")
        }
        #expect(try await log.query(AuditQuery()).count == 3)
        #expect(try await log.verify().problem == nil)
    }

    @Test("the chain continues across AuditLog instances sharing the key")
    func continuesAcrossInstances() async throws {
        let database = try SharedDatabase.temporary()
        try database.migrate(owner: AuditLog.owner, AuditLog.migrations)
        let key = SymmetricKey(size: .bits256)
        try await AuditLog(database: database, key: key).append([sampleEntry(1)])
        try await AuditLog(database: database, key: key).append([sampleEntry(2)])
        #expect(try await AuditLog(database: database, key: key).verify().checked == 2)
        // A different key cannot vouch for the trail.
        let wrongKey = try await AuditLog(database: database, key: SymmetricKey(size: .bits256)).verify()
        #expect(wrongKey.problem?.kind == .edited)
        #expect(wrongKey.problem?.sequence == 1)
    }
}
