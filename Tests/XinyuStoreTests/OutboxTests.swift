import Foundation
import GRDB
import Testing
@testable import XinyuStore

@Suite("Outbox")
struct OutboxTests {
    /// Appends one event per topic, in order, and returns their ids.
    @discardableResult
    static func append(_ database: SharedDatabase, topics: [String]) throws -> [Int64] {
        try database.writeSync { db throws in
            try topics.map { topic in
                try Outbox.append(db, topic: topic, publisher: "plugin.a", actorID: "staff-1", payload: Array(topic.utf8))
            }
        }
    }

    @Test("append inside a rolled-back transaction leaves nothing")
    func rolledBackAppend() async throws {
        let database = try makeCoreDatabase()
        await #expect(throws: Boom.self) {
            try await database.write { db in
                try Outbox.append(db, topic: "t", publisher: "plugin.a", actorID: "staff-1", payload: [1])
                throw Boom()
            }
        }
        let (latest, pending) = try await database.read { db in
            (try Outbox.latestEventID(db), try Outbox.pending(db, subscriber: "s", topics: ["t"], limit: 10))
        }
        #expect(latest == 0)
        #expect(pending == [])
    }

    @Test("append records every field; Chinese text and empty payloads round-trip")
    func appendRoundTrip() async throws {
        let database = try makeCoreDatabase()
        let payload = Array(chineseText.utf8)
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let ids = try await database.write { db in
            [
                try Outbox.append(db, topic: "学生.创建", publisher: "目录", actorID: "老师-王", payload: payload),
                try Outbox.append(db, topic: "学生.创建", publisher: "目录", actorID: "老师-王", payload: []),
            ]
        }
        let events = try await database.read { try Outbox.pending($0, subscriber: "s", topics: ["学生.创建"], limit: 10) }
        #expect(events.map(\.id) == ids)
        let first = try #require(events.first)
        #expect(first.topic == "学生.创建")
        #expect(first.publisher == "目录")
        #expect(first.actorID == "老师-王")
        #expect(first.payload == payload)
        #expect(String(decoding: first.payload, as: UTF8.self) == chineseText)
        #expect(first.recordedAtMs >= before)
        #expect(events.last?.payload == [])
    }

    @Test("pending filters by topic and cursor, oldest first, at most limit")
    func pendingFiltersAndOrders() throws {
        let database = try makeCoreDatabase()
        let ids = try Self.append(database, topics: ["a", "b", "a", "c", "a"])
        try database.writeSync { db throws in
            let all = try Outbox.pending(db, subscriber: "s", topics: ["a", "c"], limit: 10)
            #expect(all.map(\.id) == [ids[0], ids[2], ids[3], ids[4]])
            #expect(all.map(\.topic) == ["a", "a", "c", "a"])

            let firstTwo = try Outbox.pending(db, subscriber: "s", topics: ["c", "a", "a"], limit: 2)
            #expect(firstTwo.map(\.id) == [ids[0], ids[2]])

            try Outbox.acknowledge(db, subscriber: "s", eventID: ids[2])
            let rest = try Outbox.pending(db, subscriber: "s", topics: ["a", "c"], limit: 10)
            #expect(rest.map(\.id) == [ids[3], ids[4]])

            #expect(try Outbox.pending(db, subscriber: "s", topics: [], limit: 10) == [])
            #expect(try Outbox.pending(db, subscriber: "s", topics: ["a"], limit: 0) == [])
            #expect(try Outbox.pending(db, subscriber: "s", topics: ["unknown"], limit: 10) == [])
        }
    }

    @Test("acknowledge never moves the cursor backwards")
    func acknowledgeNeverBackwards() throws {
        let database = try makeCoreDatabase()
        let ids = try Self.append(database, topics: ["a", "a", "a"])
        try database.writeSync { db throws in
            #expect(try Outbox.cursor(db, subscriber: "s") == 0)
            try Outbox.acknowledge(db, subscriber: "s", eventID: ids[2])
            try Outbox.acknowledge(db, subscriber: "s", eventID: ids[0])
            #expect(try Outbox.cursor(db, subscriber: "s") == ids[2])
            #expect(try Outbox.pending(db, subscriber: "s", topics: ["a"], limit: 10) == [])
        }
    }

    @Test("acknowledging an id never assigned is refused, so later events can't be skipped")
    func acknowledgeUnknownEvent() throws {
        let database = try makeCoreDatabase()
        let ids = try Self.append(database, topics: ["a"])
        #expect(throws: StoreError.acknowledgedUnknownEvent(subscriber: "s", eventID: ids[0] + 1, latestEventID: ids[0])) {
            try database.writeSync { try Outbox.acknowledge($0, subscriber: "s", eventID: ids[0] + 1) }
        }
        #expect(throws: StoreError.self) {
            try database.writeSync { try Outbox.acknowledge($0, subscriber: "s", eventID: -1) }
        }
        let next = try Self.append(database, topics: ["a"])
        let pending = try database.readSync { try Outbox.pending($0, subscriber: "s", topics: ["a"], limit: 10) }
        #expect(pending.map(\.id) == ids + next)
    }

    @Test("two subscribers have independent cursors")
    func independentCursors() throws {
        let database = try makeCoreDatabase()
        let ids = try Self.append(database, topics: ["a", "a", "a"])
        try database.writeSync { db throws in
            try Outbox.acknowledge(db, subscriber: "one", eventID: ids[1])
            #expect(try Outbox.cursor(db, subscriber: "one") == ids[1])
            #expect(try Outbox.cursor(db, subscriber: "two") == 0)
            #expect(try Outbox.pending(db, subscriber: "one", topics: ["a"], limit: 10).map(\.id) == [ids[2]])
            #expect(try Outbox.pending(db, subscriber: "two", topics: ["a"], limit: 10).map(\.id) == ids)
        }
    }

    @Test("latestEventID is 0 when empty, then the newest id")
    func latestEventID() throws {
        let database = try makeCoreDatabase()
        #expect(try database.readSync(Outbox.latestEventID) == 0)
        let ids = try Self.append(database, topics: ["a", "b"])
        #expect(try database.readSync(Outbox.latestEventID) == ids[1])
        #expect(ids[0] < ids[1])
    }

    @Test("ids are not reused after the newest event is deleted")
    func idsNeverReused() throws {
        let database = try makeCoreDatabase()
        let first = try Self.append(database, topics: ["a"])
        try database.writeSync { try $0.execute(sql: "DELETE FROM xinyu_outbox") }
        let second = try Self.append(database, topics: ["a"])
        #expect(second[0] > first[0])
    }

    @Test("each topic's pending query seeks the (topic, id) index instead of scanning")
    func pendingUsesIndex() throws {
        let database = try makeCoreDatabase()
        let plan = try database.readSync { db throws in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + Outbox.pendingForTopicSQL, arguments: ["a", 0, 10])
                .map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING INDEX xinyu_outbox_by_topic (topic=? AND id>?)") }, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
    }

    @Test("pending stays correct with a million events of other topics")
    func pendingAtScale() throws {
        let database = try makeCoreDatabase()
        try database.writeSync { db throws in
            try db.execute(sql: """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
                INSERT INTO xinyu_outbox (topic, publisher, actor_id, recorded_at_ms, payload)
                SELECT CASE WHEN i % 250000 = 0 THEN 'rare' ELSE 'noise' END, 'p', 'a', 0, X'' FROM n
                """)
        }
        let events = try database.readSync { try Outbox.pending($0, subscriber: "s", topics: ["rare", "noise"], limit: 3) }
        let rare = try database.readSync { try Outbox.pending($0, subscriber: "s", topics: ["rare"], limit: 10) }
        #expect(events.map(\.id) == [1, 2, 3])
        #expect(rare.map(\.id) == [250_000, 500_000, 750_000, 1_000_000])
    }
}
