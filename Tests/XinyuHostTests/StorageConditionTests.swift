import Foundation
import Logging
import Testing
import XinyuPluginSDK
import XinyuRPC
import XinyuWire
@testable import XinyuHost

/// A full disk, seen in the answers the host routes, is shown until a write succeeds again.
@Suite("Storage condition")
struct StorageConditionTests {
    func refused(_ database: String) -> CallStatus {
        var trailer = Xinyu_Wire_V1_MetadataEntry()
        trailer.key = ServiceDispatcher.storageFullTrailer
        trailer.value = database
        return CallStatus(code: .resourceExhausted, message: "the disk of the database \(database) is full", trailers: [trailer])
    }

    @Test("a refused write marks it full since then; more refusals are counted; a successful write clears it")
    func fullUntilAWriteSucceeds() {
        let storage = StorageCondition(logger: Logger(label: "test"))
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(storage.full == nil)
        storage.callEnded(servedBy: "crisis", mutates: true, status: refused("/data/xinyu.sqlite"), now: t0)
        storage.callEnded(servedBy: "host", mutates: true, status: refused("/data/xinyu.sqlite"), now: t0 + 5)
        #expect(storage.full == .init(since: t0, database: "/data/xinyu.sqlite", reportedBy: "crisis", refusedWrites: 2))
        #expect(StorageCondition.describe(try! #require(storage.full)).hasPrefix("full since 2027-01-15T08:00:00Z (database /data/xinyu.sqlite; 2 writes refused"))

        // Reads, failed writes and replayed answers say nothing about space.
        storage.callEnded(servedBy: "crisis", mutates: false, status: .ok, now: t0 + 6)
        storage.callEnded(servedBy: "crisis", mutates: true, status: CallStatus(code: .invalidArgument, message: "field x"), now: t0 + 7)
        var replay = CallStatus.ok
        var replayed = Xinyu_Wire_V1_MetadataEntry()
        replayed.key = "xinyu-idempotent-replay"
        replayed.value = "true"
        replay.trailers = [replayed]
        storage.callEnded(servedBy: "crisis", mutates: true, status: replay, now: t0 + 8)
        #expect(storage.full != nil)

        storage.callEnded(servedBy: "crisis", mutates: true, status: .ok, now: t0 + 9)
        #expect(storage.full == nil)
    }

    @Test("RESOURCE_EXHAUSTED for another reason (no storage trailer) is not a full disk")
    func otherResourceExhausted() {
        let storage = StorageCondition(logger: Logger(label: "test"))
        storage.callEnded(servedBy: "crisis", mutates: true, status: CallStatus(code: .resourceExhausted, message: "too many streams"))
        #expect(storage.full == nil)
    }
}
