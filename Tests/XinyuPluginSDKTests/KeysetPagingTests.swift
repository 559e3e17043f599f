import Foundation
import GRDB
import Testing
import XinyuPluginSDK
import XinyuStore
import XinyuWire

/// A table of `count` notes (id, day) in a fresh database with the core tables (and its page-token key).
private func notes(_ count: Int, database: SharedDatabase? = nil) throws -> SharedDatabase {
    let database = try database ?? SharedDatabase.temporary()
    try database.migrateCore()
    try database.writeSync { db in
        try db.execute(sql: "CREATE TABLE IF NOT EXISTS note (id INTEGER PRIMARY KEY, day TEXT NOT NULL, school TEXT NOT NULL)")
        for id in 1...count {
            try db.execute(sql: "INSERT INTO note (id, day, school) VALUES (?, ?, ?)", arguments: [id * 10, "2024-10-\(10 + id % 5)", id % 2 == 0 ? "A" : "B"])
        }
    }
    return database
}

/// Notes by (day, id), optionally of one school.
private func query(school: String = "") -> KeysetQuery {
    var query = KeysetQuery(select: "id, day", from: "note", orderBy: [.init("day", as: "day"), .init("id", as: "id")])
    if !school.isEmpty { query.filter("school = ?", [school]) }
    return query
}

private func request(_ token: String, size: Int = 3, list: String = "test.notes", school: String = "") -> PageRequest {
    PageRequest(list: list, filters: [school], size: size, token: token)
}

/// Every page of `query`, following tokens from the start; `between` runs after each page.
private func pageThrough(_ database: SharedDatabase, size: Int = 3, between: (Int) throws -> Void = { _ in }) throws -> [Int64] {
    var ids: [Int64] = []
    var token = ""
    var pages = 0
    repeat {
        let page = try database.readSync { db in try query().page(db, request(token, size: size)) { $0["id"] as Int64 } }
        ids += page.items
        token = page.nextPageToken
        pages += 1
        try between(pages)
    } while !token.isEmpty && pages < 100
    return ids
}

private func expectInvalidToken(_ body: () throws -> Void, _ words: String) {
    do {
        try body()
        Issue.record("expected INVALID_ARGUMENT on page_token")
    } catch let error as RPCError {
        #expect(error.code == .invalidArgument)
        #expect(error.message.hasPrefix("field page_token"), "\(error.message)")
        #expect(error.message.contains(words), "\(error.message)")
    } catch {
        Issue.record("unexpected \(error)")
    }
}

@Suite("Keyset paging: one tamper-evident page-token scheme")
struct KeysetPagingTests {
    @Test("a query whose columns leave out its sort key still pages (found by the soak run: partnership's lists answered INTERNAL on page 2)")
    func sortKeyNotSelected() throws {
        let database = try notes(8)
        var ids: [Int64] = []
        var token = ""
        repeat {
            let query = KeysetQuery(select: "id", from: "note", orderBy: [.init("day", as: "at"), .init("id", as: "id")], descending: true)
            let page = try database.readSync { db in try query.page(db, request(token)) { $0["id"] as Int64 } }
            ids += page.items
            token = page.nextPageToken
        } while !token.isEmpty && ids.count < 100
        let expected = try database.readSync { db in try Int64.fetchAll(db, sql: "SELECT id FROM note ORDER BY day DESC, id DESC") }
        #expect(ids == expected && ids.count == 8)
    }

    @Test("pages follow each other in sort order, without gaps or repeats; the last has no token")
    func pagesInOrder() throws {
        let database = try notes(10)
        let all = try database.readSync { db in try Int64.fetchAll(db, sql: "SELECT id FROM note ORDER BY day, id") }
        #expect(try pageThrough(database) == all)
        #expect(try pageThrough(database, size: 10) == all)
        let descending = KeysetQuery(select: "id", from: "note", orderBy: [.init("id", as: "id")], descending: true)
        let first = try database.readSync { db in try descending.page(db, request("", size: 4)) { $0["id"] as Int64 } }
        let second = try database.readSync { db in try descending.page(db, request(first.nextPageToken, size: 4)) { $0["id"] as Int64 } }
        #expect(first.items == [100, 90, 80, 70] && second.items == [60, 50, 40, 30])
    }

    @Test("a page counts the matching rows when asked")
    func total() throws {
        let database = try notes(10)
        let page = try database.readSync { db in try query(school: "A").page(db, request("", school: "A"), countingTotal: true) { $0["id"] as Int64 } }
        #expect(page.total == 5 && page.items.count == 3)
    }

    @Test("rows inserted before and after the cursor while paging: every original row exactly once, in order")
    func stableAcrossInserts() throws {
        let database = try notes(10)
        let original = try database.readSync { db in try Int64.fetchAll(db, sql: "SELECT id FROM note ORDER BY day, id") }
        var next: Int64 = 1
        let seen = try pageThrough(database) { _ in
            try database.writeSync { db in
                // One row sorting first (already passed) and one sorting last (still ahead).
                try db.execute(sql: "INSERT INTO note (id, day, school) VALUES (?, '2000-01-01', 'A'), (?, '2099-01-01', 'A')", arguments: [next, 10_000 + next])
                next += 1
            }
        }
        #expect(Set(seen).count == seen.count, "no row twice")
        #expect(seen.filter { $0 % 10 == 0 && $0 < 10_000 } == original, "every original row, in order")
        #expect(!seen.contains { $0 < 10 }, "rows inserted behind the cursor are not sent")
    }

    @Test("an edited, truncated or made-up token is INVALID_ARGUMENT naming page_token")
    func tampered() throws {
        let database = try notes(10)
        let token = try database.readSync { db in try query().page(db, request("")) { $0["id"] as Int64 } }.nextPageToken
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        let data = try #require(Data(base64Encoded: base64))
        let text = try #require(String(data: data, encoding: .utf8))
        // Move the cursor back to the start, keeping the (now wrong) MAC: refused.
        let body = text.split(separator: "|", omittingEmptySubsequences: false)
        var edited = body
        edited[3] = #"["2000-01-01",1]"#
        let forged = Data(edited.joined(separator: "|").utf8).base64EncodedString()
        for bad in [forged, String(token.dropLast(4)), "not a token", token + "AAAA", String(token.reversed())] {
            expectInvalidToken({ _ = try database.readSync { db in try query().page(db, request(bad)) { $0["id"] as Int64 } } }, "not a page token")
        }
        // The untouched token still works.
        #expect(try database.readSync { db in try query().page(db, request(token)) { $0["id"] as Int64 } }.items.count == 3)
    }

    @Test("a token of another list, or for other filters, is refused and says why")
    func foreign() throws {
        let database = try notes(10)
        let token = try database.readSync { db in try query().page(db, request("")) { $0["id"] as Int64 } }.nextPageToken
        expectInvalidToken({ _ = try database.readSync { db in try query().page(db, request(token, list: "test.other")) { $0["id"] as Int64 } } },
                           "another list (test.notes)")
        expectInvalidToken({ _ = try database.readSync { db in try query(school: "A").page(db, request(token, school: "A")) { $0["id"] as Int64 } } },
                           "different query")
    }

    @Test("the key lives in the database: a token survives reopening (a restart, or another process) and another database refuses it")
    func sharedKey() throws {
        let first = try notes(10)
        let token = try first.readSync { db in try query().page(db, request("")) { $0["id"] as Int64 } }.nextPageToken
        let reopened = try SharedDatabase.open(path: first.path)
        try reopened.migrateCore()
        #expect(try reopened.readSync { db in try query().page(db, request(token)) { $0["id"] as Int64 } }.items.count == 3)
        let other = try notes(10)
        expectInvalidToken({ _ = try other.readSync { db in try query().page(db, request(token)) { $0["id"] as Int64 } } }, "not a page token")
    }

    @Test("page sizes: clamped for limit-style requests, checked with the field named for page-style ones")
    func sizes() throws {
        #expect(PageRequest.clampedSize(0, default: 200, maximum: 1000) == 200)
        #expect(PageRequest.clampedSize(5000, default: 200, maximum: 1000) == 1000)
        #expect(try PageRequest.validatedSize(0, default: 50, maximum: 500, field: "page.page_size") == 50)
        #expect(throws: RPCError.invalidField("page.page_size", "501 is more than the maximum of 500")) {
            try PageRequest.validatedSize(501, default: 50, maximum: 500, field: "page.page_size")
        }
    }

    @Test("a plugin refuses to start on a database without the directory migration the reader needs, naming it")
    func directorySchemaRequired() throws {
        let database = try SharedDatabase.temporary()
        do {
            try DirectoryReader.requireSchema(in: database)
            Issue.record("expected a start-up error")
        } catch {
            #expect("\(error)".contains("directory/\(DirectoryReader.writtenAgainst)"), "\(error)")
        }
    }
}
