import Foundation
import GRDB
import Testing
@testable import XinyuStore

@Suite("Online backup, integrity check and the writer's release")
struct BackupAndVersionTests {
    @Test("releases compare part by part as numbers; suffixes are ignored", arguments: [
        ("0.1.0", "0.2.0", true), ("0.9.0", "0.10.0", true), ("1.0", "1.0.0", false), ("1.0.0-rc1", "1.0.0", false),
        ("2.0.0", "1.99.99", false), ("0.1.0", "0.1.1", true),
    ])
    func versionOrder(lower: String, higher: String, isLess: Bool) {
        #expect((SoftwareVersion(lower) < SoftwareVersion(higher)) == isLess)
    }

    @Test("a file stamped by a newer release is refused naming both releases and keeps its stamp")
    func newerRefused() throws {
        let database = try SharedDatabase.temporary()
        #expect(try WriterVersionStamp.recorded(in: database) == nil)
        try WriterVersionStamp.checkAndStamp(database, running: SoftwareVersion("0.3.0"), nowMs: 1)
        #expect(throws: StoreError.newerDatabase(path: database.path, written: "0.3.0", running: "0.2.9")) {
            try WriterVersionStamp.checkAndStamp(database, running: SoftwareVersion("0.2.9"), nowMs: 2)
        }
        #expect(try WriterVersionStamp.recorded(in: database)?.text == "0.3.0")
        let message = StoreError.newerDatabase(path: "/d/x.sqlite", written: "0.3.0", running: "0.2.9").description
        #expect(message.contains("written by xinyu-host 0.3.0, and this is xinyu-host 0.2.9"))
        // The same or a newer release moves the stamp forward.
        try WriterVersionStamp.checkAndStamp(database, running: SoftwareVersion("0.3.0"), nowMs: 3)
        try WriterVersionStamp.checkAndStamp(database, running: SoftwareVersion("0.4.0"), nowMs: 4)
        #expect(try WriterVersionStamp.recorded(in: database)?.text == "0.4.0")
    }

    @Test("a backup taken while another connection writes is one consistent snapshot that opens on its own")
    func backupWhileWriting() async throws {
        let database = try SharedDatabase.temporary()
        try await database.write { db in
            try db.execute(sql: "CREATE TABLE pairs (n INTEGER PRIMARY KEY, twice INTEGER NOT NULL)")
        }
        // Each write adds a row and updates a total in one transaction: a torn copy would disagree.
        try await database.write { db in try db.execute(sql: "CREATE TABLE total (one INTEGER PRIMARY KEY CHECK (one = 1), sum INTEGER)") }
        try await database.write { db in try db.execute(sql: "INSERT INTO total VALUES (1, 0)") }
        let writer = Task {
            var n = 1
            while !Task.isCancelled && n < 5_000 {
                let value = n
                try await database.write { db in
                    try db.execute(sql: "INSERT INTO pairs VALUES (?, ?)", arguments: [value, value * 2])
                    try db.execute(sql: "UPDATE total SET sum = sum + ?", arguments: [value])
                }
                n += 1
            }
        }
        try await waitUntilRows(database, atLeast: 50)
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("xinyu-bk-\(UUID().uuidString)").appendingPathExtension("sqlite").path
        defer { try? FileManager.default.removeItem(atPath: target) }
        let bytes = try database.backup(to: target)
        writer.cancel()
        _ = await writer.result
        #expect(bytes > 0)
        #expect(!FileManager.default.fileExists(atPath: target + "-wal"))
        let copy = try DatabaseQueue(path: target)
        let (count, sum, total) = try await copy.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM pairs") ?? -1,
             try Int.fetchOne(db, sql: "SELECT ifnull(sum(n), 0) FROM pairs") ?? -1,
             try Int.fetchOne(db, sql: "SELECT sum FROM total") ?? -2)
        }
        #expect(count >= 50)
        #expect(sum == total, "the copy's rows and total disagree: a torn snapshot")
        #expect(sum == count * (count + 1) / 2, "the copy is not a prefix of the writes")
        // Never overwrites.
        #expect(throws: (any Error).self) { try database.backup(to: target) }
    }

    @Test("the integrity check passes a sound file and names what it finds in a damaged one")
    func integrity() throws {
        let database = try SharedDatabase.temporary()
        try database.writeSync { db in try db.execute(sql: "CREATE TABLE t (x)") }
        #expect(try database.integrityProblems().isEmpty)

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("xinyu-bad-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT)")
            for _ in 0..<500 { try db.execute(sql: "INSERT INTO t (s) VALUES (?)", arguments: [String(repeating: "x", count: 200)]) }
        }
        let pageSize = try queue.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096 }
        try queue.close()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for offset in (2 * pageSize + 8)..<(2 * pageSize + 40) { bytes[offset] = 0xEE }
        try bytes.write(to: URL(fileURLWithPath: path))
        let damaged = try SharedDatabase.open(path: path)
        let problems = try damaged.integrityProblems(limit: 3)
        #expect(!problems.isEmpty && problems.count <= 3)
        #expect(problems.first?.contains("page 3") == true, "\(problems)")
    }

    func waitUntilRows(_ database: SharedDatabase, atLeast count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if try await database.read({ db in try Int.fetchOne(db, sql: "SELECT count(*) FROM pairs") ?? 0 }) >= count { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("fewer than \(count) rows after 20 s")
    }
}
