import GRDB
import Testing
import XinyuStore

@Suite("EventInbox")
struct EventInboxTests {
    @Test("markHandled twice: the second returns false")
    func markHandledTwice() throws {
        let database = try makeCoreDatabase()
        try database.writeSync { db throws in
            #expect(try !EventInbox.hasHandled(db, subscriber: "s", eventID: 7))
            #expect(try EventInbox.markHandled(db, subscriber: "s", eventID: 7))
            #expect(try EventInbox.hasHandled(db, subscriber: "s", eventID: 7))
        }
        #expect(try database.writeSync { try EventInbox.markHandled($0, subscriber: "s", eventID: 7) } == false)
    }

    @Test("subscribers and events are deduplicated separately")
    func independentKeys() throws {
        let database = try makeCoreDatabase()
        try database.writeSync { db throws in
            try EventInbox.markHandled(db, subscriber: "s", eventID: 7)
            #expect(try EventInbox.markHandled(db, subscriber: "其他订阅者", eventID: 7))
            #expect(try EventInbox.markHandled(db, subscriber: "s", eventID: 8))
        }
    }

    @Test("a mark in a rolled-back transaction is forgotten")
    func rolledBackMark() async throws {
        let database = try makeCoreDatabase()
        await #expect(throws: Boom.self) {
            try await database.write { db in
                try EventInbox.markHandled(db, subscriber: "s", eventID: 7)
                throw Boom()
            }
        }
        #expect(try await database.read { try EventInbox.hasHandled($0, subscriber: "s", eventID: 7) } == false)
    }
}
