import Crypto
import Foundation
import Testing
import XinyuAudit
import XinyuStore

/// A trail that an older host kept in the main database moves, once and whole, into the audit
/// trail's own file, and still verifies there.
@Suite("AuditLog.adoptLegacyTrail")
struct AuditRelocationTests {
    static func freshLog(key: SymmetricKey) throws -> (SharedDatabase, AuditLog) {
        let database = try SharedDatabase.temporary()
        try database.migrate(owner: AuditLog.owner, AuditLog.migrations)
        return (database, AuditLog(database: database, key: key))
    }

    @Test("moves every entry, subject, head and anchor; the chain verifies; a second start moves nothing")
    func movesOnce() async throws {
        let key = SymmetricKey(size: .bits256)
        let (legacyDatabase, legacy) = try Self.freshLog(key: key)
        try await appendSamples(legacy, count: 40)
        let (_, trail) = try Self.freshLog(key: key)

        #expect(try trail.adoptLegacyTrail(from: legacyDatabase.path) == 40)
        let verification = try await trail.verify()
        #expect(verification.problem == nil)
        #expect(verification.lastSequence == 40)
        #expect(try await trail.whoLookedAt(subject: "S2024-0113", limit: 100).count == 10)

        #expect(try trail.adoptLegacyTrail(from: legacyDatabase.path) == 0)
        let appended = try await trail.append([sampleEntry(41)])
        #expect(appended.first?.sequence == 41)
        #expect(try await trail.verify().problem == nil)
    }

    @Test("nothing moves into a trail that already has entries, or from a database without a trail")
    func leavesExistingTrailsAlone() async throws {
        let key = SymmetricKey(size: .bits256)
        let (legacyDatabase, legacy) = try Self.freshLog(key: key)
        try await appendSamples(legacy, count: 5)
        let (_, trail) = try Self.freshLog(key: key)
        try await trail.append([sampleEntry(1)])
        #expect(try trail.adoptLegacyTrail(from: legacyDatabase.path) == 0)

        let plain = try SharedDatabase.temporary()
        try plain.writeSync { try $0.execute(sql: "CREATE TABLE unrelated (x INTEGER)") }
        let (_, empty) = try Self.freshLog(key: key)
        #expect(try empty.adoptLegacyTrail(from: plain.path) == 0)
    }
}
