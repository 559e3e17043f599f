import Foundation
import Logging
import Testing
import XinyuAudit
import XinyuStore

@Suite("AuditWriter")
struct AuditWriterTests {
    static let logger = Logger(label: "xinyu.audit.test")

    @Test("many record() calls while run() flushes, then close(): all present, in order")
    func batchesInOrder() async throws {
        let (_, log) = try makeAuditLog()
        let writer = AuditWriter(log: log, interval: .milliseconds(5), maxBatch: 64, logger: Self.logger)
        await withDiscardingTaskGroup { group in
            group.addTask { await writer.run() }
            for i in 1...2000 {
                writer.record(sampleEntry(i))
                if i % 250 == 0 { await Task.yield() }
            }
            await writer.close()
        }
        #expect(writer.pendingCount == 0)
        let stored = try await log.query(AuditQuery(limit: 10_000))
        #expect(stored.map(\.entry) == (1...2000).map(sampleEntry))
        #expect(try await log.verify().checked == 2000)
    }

    @Test("close() writes everything even if run() never ran")
    func closeWithoutRun() async throws {
        let (_, log) = try makeAuditLog()
        let writer = AuditWriter(log: log, maxBatch: 3, logger: Self.logger)
        for i in 1...10 { writer.record(sampleEntry(i)) }
        #expect(writer.pendingCount == 10)
        await writer.close()
        #expect(try await log.query(AuditQuery()).map(\.entry) == (1...10).map(sampleEntry))
    }

    @Test("flush() writes what was recorded before it")
    func explicitFlush() async throws {
        let (_, log) = try makeAuditLog()
        let writer = AuditWriter(log: log, logger: Self.logger)
        writer.record(sampleEntry(1))
        writer.record(sampleEntry(2))
        try await writer.flush()
        #expect(try await log.query(AuditQuery()).count == 2)
        try await writer.flush()
        #expect(try await log.query(AuditQuery()).count == 2)
    }

    @Test("concurrent flushes never reorder entries")
    func concurrentFlushes() async throws {
        let (_, log) = try makeAuditLog()
        let writer = AuditWriter(log: log, maxBatch: 7, logger: Self.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for round in 0..<20 {
                for i in 0..<25 { writer.record(sampleEntry(round * 25 + i)) }
                group.addTask { try await writer.flush() }
            }
            try await group.waitForAll()
        }
        await writer.close()
        #expect(try await log.query(AuditQuery(limit: 1000)).map(\.entry) == (0..<500).map(sampleEntry))
    }

    @Test("cancelling run() still writes the buffer")
    func cancelledRunFlushes() async throws {
        let (_, log) = try makeAuditLog()
        // A long interval and large batch: nothing is written until shutdown.
        let writer = AuditWriter(log: log, interval: .seconds(3600), maxBatch: 10_000, logger: Self.logger)
        for i in 1...50 { writer.record(sampleEntry(i)) }
        await withDiscardingTaskGroup { group in
            group.addTask { await writer.run() }
            group.cancelAll()
        }
        #expect(try await log.query(AuditQuery()).count == 50)
        #expect(try await log.verify().problem == nil)
    }

    @Test("a failed flush keeps its entries for the next attempt")
    func failedFlushKeepsEntries() async throws {
        // No migrations: appends fail until the tables exist.
        let database = try SharedDatabase.temporary()
        let log = AuditLog(database: database, key: .init(size: .bits256))
        let writer = AuditWriter(log: log, maxBatch: 4, logger: Self.logger)
        for i in 1...10 { writer.record(sampleEntry(i)) }
        await #expect(throws: (any Error).self) { try await writer.flush() }
        #expect(writer.pendingCount == 10)
        writer.record(sampleEntry(11))
        try database.migrate(owner: AuditLog.owner, AuditLog.migrations)
        try await writer.flush()
        #expect(try await log.query(AuditQuery()).map(\.entry) == (1...11).map(sampleEntry))
    }
}
