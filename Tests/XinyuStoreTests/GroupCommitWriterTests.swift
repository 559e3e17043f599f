import Foundation
import GRDB
import Testing
@testable import XinyuStore

@Suite("GroupCommitWriter")
struct GroupCommitWriterTests {
    /// A database with a `note` table, and a writer that counts the groups it commits.
    final class Fixture: Sendable {
        let database: SharedDatabase
        let writer: GroupCommitWriter
        let groups = GroupLog()

        init(maxGroup: Int = 512) throws {
            database = try SharedDatabase.temporary()
            try database.writeSync { try $0.execute(sql: "CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)") }
            let groups = self.groups
            writer = GroupCommitWriter(pool: database.pool, maxGroup: maxGroup, onCommit: { n in groups.append(n) })
        }

        func notes() throws -> [String] {
            try database.readSync { try String.fetchAll($0, sql: "SELECT text FROM note ORDER BY text") }
        }
    }

    /// The sizes of the groups a writer committed, in order.
    final class GroupLog: @unchecked Sendable {
        // Safe: `sizes` is only touched while holding `lock`.
        private let lock = NSLock()
        private var sizes: [Int] = []
        func append(_ n: Int) { lock.withLock { sizes.append(n) } }
        func withLock<T>(_ body: ([Int]) -> T) -> T { lock.withLock { body(sizes) } }
    }

    /// Holds the database's writer connection for a while, so that writes queue up behind it.
    static func holdWriter(_ database: SharedDatabase, seconds: Double) async throws {
        try await database.write { _ in Thread.sleep(forTimeInterval: seconds) }
    }

    @Test("many concurrent writers share a few transactions, and every write is there")
    func concurrentWritersShareTransactions() async throws {
        let f = try Fixture()
        let writers = 200
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await Self.holdWriter(f.database, seconds: 0.2) }
            try await Task.sleep(for: .milliseconds(20))
            for i in 0..<writers {
                group.addTask {
                    try await f.writer.write { db in try db.execute(sql: "INSERT INTO note (text) VALUES (?)", arguments: ["n\(i)"]) }
                }
            }
            try await group.waitForAll()
        }
        let groups = f.groups.withLock { $0 }
        #expect(try f.notes().count == writers)
        #expect(groups.reduce(0, +) == writers)
        // Without grouping this would be 200 commits; behind a held write lock they pile up.
        #expect(groups.count <= 10, "\(groups.count) transactions for \(writers) writes: \(groups)")
    }

    @Test("a write that throws rolls back only its own changes and gets its own error")
    func failureIsolated() async throws {
        let f = try Fixture()
        struct Refused: Error, Equatable { let i: Int }
        let outcomes = try await withThrowingTaskGroup(of: (Int, Result<Int64, Refused>).self) { group in
            group.addTask { try await Self.holdWriter(f.database, seconds: 0.2); return (-1, .success(0)) }
            try await Task.sleep(for: .milliseconds(20))
            for i in 0..<20 {
                group.addTask {
                    do {
                        let id = try await f.writer.write { db -> Int64 in
                            try db.execute(sql: "INSERT INTO note (text) VALUES (?)", arguments: ["n\(i)"])
                            if i % 5 == 3 { throw Refused(i: i) }
                            return db.lastInsertedRowID
                        }
                        return (i, .success(id))
                    } catch let error as Refused {
                        return (i, .failure(error))
                    }
                }
            }
            var all: [Int: Result<Int64, Refused>] = [:]
            for try await (i, r) in group where i >= 0 { all[i] = r }
            return all
        }
        for (i, outcome) in outcomes {
            if i % 5 == 3 { #expect(outcome == .failure(Refused(i: i))) } else { #expect((try? outcome.get()) != nil) }
        }
        let expected = (0..<20).filter { $0 % 5 != 3 }.map { "n\($0)" }.sorted()
        #expect(try f.notes() == expected)
        // They were grouped: fewer transactions than writes.
        #expect(f.groups.withLock { $0.count } < 20)
    }

    @Test("each caller gets its own result")
    func resultsToTheRightCaller() async throws {
        let f = try Fixture()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<100 {
                group.addTask {
                    let (id, text) = try await f.writer.write { db -> (Int64, String) in
                        try db.execute(sql: "INSERT INTO note (text) VALUES (?)", arguments: ["n\(i)"])
                        return (db.lastInsertedRowID, "n\(i)")
                    }
                    #expect(text == "n\(i)")
                    let stored = try await f.database.read { try String.fetchOne($0, sql: "SELECT text FROM note WHERE id = ?", arguments: [id]) }
                    #expect(stored == "n\(i)")
                }
            }
            try await group.waitForAll()
        }
    }

    @Test("a constraint error in one write does not abort the others in its group")
    func constraintErrorIsolated() async throws {
        let f = try Fixture()
        try await f.writer.write { try $0.execute(sql: "INSERT INTO note (text) VALUES ('taken')") }
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { try await Self.holdWriter(f.database, seconds: 0.1); return true }
            try await Task.sleep(for: .milliseconds(20))
            for text in ["a", "taken", "b"] {
                group.addTask {
                    (try? await f.writer.write { try $0.execute(sql: "INSERT INTO note (text) VALUES (?)", arguments: [text]) }) != nil
                }
            }
            var oks = 0
            for try await ok in group where ok { oks += 1 }
            return oks
        }
        #expect(results == 3)  // the holder, "a" and "b"
        #expect(try f.notes() == ["a", "b", "taken"])
    }

    @Test("a lone write is a group of its own: nothing waits for company")
    func loneWrite() async throws {
        let f = try Fixture()
        try await f.writer.write { try $0.execute(sql: "INSERT INTO note (text) VALUES ('x')") }
        try await f.writer.write { try $0.execute(sql: "INSERT INTO note (text) VALUES ('y')") }
        // No timing here (CI machines are busy): the writer has no timer, so sequential
        // writes each commit alone.
        #expect(f.groups.withLock { $0 } == [1, 1])
        #expect(try f.notes() == ["x", "y"])
    }

    @Test("a stream longer than one turn on the writer commits everything, and the writer takes new writes after it", .timeLimit(.minutes(1)))
    func longStream() async throws {
        let f = try Fixture(maxGroup: 3)
        let count = 600
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<count {
                group.addTask { try await f.writer.write { try $0.execute(sql: "INSERT INTO note (text) VALUES (?)", arguments: ["n\(i)"]) } }
            }
            try await group.waitForAll()
        }
        #expect(f.groups.withLock { $0.reduce(0, +) } == count)
        // A turn that ended with an empty queue must have stopped draining, or this never returns.
        try await f.writer.write { try $0.execute(sql: "INSERT INTO note (text) VALUES ('after')") }
        #expect(try f.notes().count == count + 1)
    }

    @Test("a plain write gets the writer while a steady stream of grouped writes is still committing", .timeLimit(.minutes(1)))
    func plainWritesAreNotStarved() async throws {
        let f = try Fixture(maxGroup: 1)
        let count = 400
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<count {
                group.addTask { try await f.writer.write { try $0.execute(sql: "INSERT INTO note (text) VALUES (?)", arguments: ["n\(i)"]) } }
            }
            // Once the stream is running, a plain write (what jobs and the idempotency ledger use).
            while f.groups.withLock({ $0.count }) < 2 { try await Task.sleep(for: .milliseconds(1)) }
            let committedBefore = try await f.database.write { _ in f.groups.withLock { $0.count } }
            #expect(committedBefore < count, "the plain write waited for the whole stream (\(committedBefore) of \(count) groups)")
            try await group.waitForAll()
        }
        #expect(try f.notes().count == count)
    }
}
