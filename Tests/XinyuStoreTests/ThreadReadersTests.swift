import Foundation
import GRDB
import Testing
@testable import XinyuStore

@Suite("SharedDatabase thread readers")
struct ThreadReadersTests {
    static func database() throws -> SharedDatabase {
        let database = try SharedDatabase.temporary()
        try database.writeSync { try $0.execute(sql: "CREATE TABLE t (x INTEGER)") }
        return database
    }

    static func count(_ database: SharedDatabase) throws -> Int {
        try database.readSync { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") ?? -1 }
    }

    @Test("a thread's own reader sees every commit made after it was opened, by this or another connection")
    func seesNewCommits() throws {
        let database = try Self.database()
        #expect(try Self.count(database) == 0)
        #expect(database.threadReaders.count == 1)
        try database.writeSync { try $0.execute(sql: "INSERT INTO t VALUES (1)") }
        #expect(try Self.count(database) == 1)
        let other = try SharedDatabase.open(path: database.path)
        try other.writeSync { try $0.execute(sql: "INSERT INTO t VALUES (2)") }
        #expect(try Self.count(database) == 2)
    }

    @Test("a read nested in another on the same thread works (it uses the pool)")
    func nestedRead() throws {
        let database = try Self.database()
        try database.writeSync { try $0.execute(sql: "INSERT INTO t VALUES (1)") }
        let inner = try database.readSync { _ in try Self.count(database) }
        #expect(inner == 1)
    }

    @Test("the reader is read-only: a write inside a read fails and changes nothing")
    func readOnly() throws {
        let database = try Self.database()
        #expect(throws: DatabaseError.self) {
            try database.readSync { try $0.execute(sql: "INSERT INTO t VALUES (9)") }
        }
        #expect(try Self.count(database) == 0)
    }

    @Test("many threads reading at once, more than get a reader of their own, all get answers")
    func manyThreads() async throws {
        let database = try Self.database()
        try database.writeSync { try $0.execute(sql: "INSERT INTO t VALUES (1)") }
        let threads = ThreadReaders.limit * 2
        let results = NSLock()
        nonisolated(unsafe) var answers: [Int] = []
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let group = DispatchGroup()
            for _ in 0..<threads {
                group.enter()
                Thread.detachNewThread {
                    let n = (try? Self.count(database)) ?? -1
                    results.withLock { answers.append(n) }
                    group.leave()
                }
            }
            group.notify(queue: .global()) { done.resume() }
        }
        #expect(answers.count == threads)
        #expect(answers.allSatisfy { $0 == 1 })
        #expect(database.threadReaders.count <= ThreadReaders.limit)
    }
}
