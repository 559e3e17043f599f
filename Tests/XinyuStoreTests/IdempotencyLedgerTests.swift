import GRDB
import Testing
import XinyuStore

@Suite("IdempotencyLedger")
struct IdempotencyLedgerTests {
    static let scope = IdempotencyScope(owner: "plugin.a", method: "CreateRecord", principalID: "staff-1", key: "k-1")
    static let request: [UInt8] = Array("创建记录：张三".utf8)
    static let answer = StoredAnswer(code: 0, message: "已保存：\(chineseText)", response: Array(chineseText.utf8))

    @Test("digest is the hex SHA-256 of the bytes")
    func digest() {
        #expect(IdempotencyLedger.digest(Array("abc".utf8))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(IdempotencyLedger.digest([])
            == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("fresh → markApplied → appliedButAnswerLost → recordAnswer → answered with the same bytes, across a reopen")
    func lifecycle() throws {
        let database = try makeCoreDatabase()
        let digest = IdempotencyLedger.digest(Self.request)
        try database.writeSync { db throws in
            #expect(try IdempotencyLedger.state(db, scope: Self.scope, requestDigest: digest) == .fresh)
            try IdempotencyLedger.markApplied(db, scope: Self.scope, requestDigest: digest)
        }
        #expect(try database.readSync {
            try IdempotencyLedger.state($0, scope: Self.scope, requestDigest: digest)
        } == .appliedButAnswerLost)

        try database.writeSync {
            try IdempotencyLedger.recordAnswer($0, scope: Self.scope, requestDigest: digest, answer: Self.answer)
        }
        // A restarted process (a new connection pool on the same file) still gets the stored answer.
        let reopened = try SharedDatabase.open(path: database.path)
        let state = try reopened.readSync { try IdempotencyLedger.state($0, scope: Self.scope, requestDigest: digest) }
        #expect(state == .answered(Self.answer))
        guard case let .answered(stored) = state else { return }
        #expect(stored.message == "已保存：\(chineseText)")
        #expect(String(decoding: stored.response, as: UTF8.self) == chineseText)
    }

    @Test("a different digest is mismatched; a different principal, method, owner or key is fresh")
    func scopeAndDigest() throws {
        let database = try makeCoreDatabase()
        let digest = IdempotencyLedger.digest(Self.request)
        try database.writeSync { db throws in
            try IdempotencyLedger.markApplied(db, scope: Self.scope, requestDigest: digest)
            let other = IdempotencyLedger.digest(Array("创建记录：李四".utf8))
            #expect(try IdempotencyLedger.state(db, scope: Self.scope, requestDigest: other) == .mismatched)

            let s = Self.scope
            for neighbour in [
                IdempotencyScope(owner: s.owner, method: s.method, principalID: "staff-2", key: s.key),
                IdempotencyScope(owner: s.owner, method: "DeleteRecord", principalID: s.principalID, key: s.key),
                IdempotencyScope(owner: "plugin.b", method: s.method, principalID: s.principalID, key: s.key),
                IdempotencyScope(owner: s.owner, method: s.method, principalID: s.principalID, key: "k-2"),
            ] {
                #expect(try IdempotencyLedger.state(db, scope: neighbour, requestDigest: digest) == .fresh)
            }
        }
    }

    @Test("a second markApplied for the key throws, so a racing attempt's changes roll back")
    func markAppliedTwice() async throws {
        let database = try makeCoreDatabase()
        let digest = IdempotencyLedger.digest(Self.request)
        try database.writeSync { try IdempotencyLedger.markApplied($0, scope: Self.scope, requestDigest: digest) }
        await #expect(throws: StoreError.idempotencyKeyAlreadyUsed(Self.scope)) {
            try await database.write { db in
                try db.execute(sql: "CREATE TABLE effect (x)")
                try IdempotencyLedger.markApplied(db, scope: Self.scope, requestDigest: digest)
            }
        }
        #expect(try !tableNames(database).contains("effect"))
    }

    @Test("an answer can be recorded without markApplied (a call that changed nothing), with an empty response")
    func answerWithoutApply() throws {
        let database = try makeCoreDatabase()
        let digest = IdempotencyLedger.digest(Self.request)
        let refusal = StoredAnswer(code: 3, message: "参数无效", response: [])
        try database.writeSync { db throws in
            try IdempotencyLedger.recordAnswer(db, scope: Self.scope, requestDigest: digest, answer: refusal)
            #expect(try IdempotencyLedger.state(db, scope: Self.scope, requestDigest: digest) == .answered(refusal))
        }
    }

    @Test("a stored answer never changes; the same answer again is accepted; another digest is refused")
    func answersAreFinal() throws {
        let database = try makeCoreDatabase()
        let digest = IdempotencyLedger.digest(Self.request)
        try database.writeSync { db throws in
            try IdempotencyLedger.recordAnswer(db, scope: Self.scope, requestDigest: digest, answer: Self.answer)
            try IdempotencyLedger.recordAnswer(db, scope: Self.scope, requestDigest: digest, answer: Self.answer)
        }
        let different = StoredAnswer(code: UInt32.max, message: "other", response: [1])
        #expect(throws: StoreError.answerAlreadyRecorded(Self.scope)) {
            try database.writeSync {
                try IdempotencyLedger.recordAnswer($0, scope: Self.scope, requestDigest: digest, answer: different)
            }
        }
        #expect(throws: StoreError.idempotencyDigestMismatch(Self.scope)) {
            try database.writeSync {
                try IdempotencyLedger.recordAnswer($0, scope: Self.scope, requestDigest: "other", answer: Self.answer)
            }
        }
        #expect(try database.readSync {
            try IdempotencyLedger.state($0, scope: Self.scope, requestDigest: digest)
        } == .answered(Self.answer))
    }

    @Test("purge deletes entries created before the cut-off and returns the count")
    func purge() throws {
        let database = try makeCoreDatabase()
        let digest = IdempotencyLedger.digest(Self.request)
        let old = IdempotencyScope(owner: "plugin.a", method: "CreateRecord", principalID: "staff-1", key: "old")
        try database.writeSync { db throws in
            try IdempotencyLedger.recordAnswer(db, scope: old, requestDigest: digest, answer: Self.answer)
            try IdempotencyLedger.markApplied(db, scope: Self.scope, requestDigest: digest)
            try db.execute(sql: "UPDATE xinyu_idempotency SET created_at_ms = 1000 WHERE key = 'old'")
        }
        let purged = try database.writeSync { try IdempotencyLedger.purge($0, olderThanMs: 2000) }
        #expect(purged == 1)
        try database.readSync { db throws in
            #expect(try IdempotencyLedger.state(db, scope: old, requestDigest: digest) == .fresh)
            #expect(try IdempotencyLedger.state(db, scope: Self.scope, requestDigest: digest) == .appliedButAnswerLost)
        }
        #expect(try database.writeSync { try IdempotencyLedger.purge($0, olderThanMs: 2000) } == 0)
    }
}
