import Foundation
import GRDB
import Testing
@testable import XinyuStore

@Suite("LockWait")
struct LockWaitTests {
    @Test("polls every 50 µs for the first 10 ms, then every millisecond, and gives up at the timeout")
    func schedule() {
        let wait = LockWait(timeout: .milliseconds(20))
        #expect(wait.pause(afterTries: 0) == .microseconds(50))
        #expect(wait.pause(afterTries: 199) == .microseconds(50))
        #expect(wait.pause(afterTries: 200) == .milliseconds(1))
        #expect(wait.pause(afterTries: 209) == .milliseconds(1))
        #expect(wait.pause(afterTries: 210) == nil)  // 10 ms fast + 10 ms slow = the timeout
        #expect(LockWait(timeout: .zero).pause(afterTries: 0) == nil)
    }

    /// Two databases on one file stand for two processes sharing the store.
    @Test("a writer waits for another connection's write lock and then succeeds")
    func waitsForTheLock() async throws {
        let first = try SharedDatabase.temporary()
        try await first.write { try $0.execute(sql: "CREATE TABLE t (x INTEGER)") }
        let second = try SharedDatabase.open(path: first.path, busyTimeout: .seconds(5))
        let holding = Task { try await first.write { db in
            try db.execute(sql: "INSERT INTO t VALUES (1)")
            Thread.sleep(forTimeInterval: 0.05)
        } }
        try await Task.sleep(for: .milliseconds(10))
        try await second.write { try $0.execute(sql: "INSERT INTO t VALUES (2)") }
        try await holding.value
        #expect(try first.readSync { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") } == 2)
    }

    @Test("a writer that cannot get the lock within its timeout fails with SQLITE_BUSY and writes nothing")
    func givesUp() async throws {
        let first = try SharedDatabase.temporary()
        try await first.write { try $0.execute(sql: "CREATE TABLE t (x INTEGER)") }
        let second = try SharedDatabase.open(path: first.path, busyTimeout: .milliseconds(30))
        let holding = Task { try await first.write { db in
            try db.execute(sql: "INSERT INTO t VALUES (1)")
            Thread.sleep(forTimeInterval: 0.4)
        } }
        try await Task.sleep(for: .milliseconds(20))
        let error = await #expect(throws: DatabaseError.self) {
            try await second.write { try $0.execute(sql: "INSERT INTO t VALUES (2)") }
        }
        #expect(error?.resultCode == .SQLITE_BUSY)
        try await holding.value
        #expect(try first.readSync { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") } == 1)
    }
}
