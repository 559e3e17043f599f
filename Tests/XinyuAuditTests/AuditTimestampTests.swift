import Foundation
import Testing
import XinyuTestSupport
@testable import XinyuAudit

@Suite("AuditTimestamp")
struct AuditTimestampTests {
    @Test("formats fixed-width UTC text with milliseconds", arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (Int64(1_740_000_000_123), "2025-02-19T21:20:00.123Z"),
        (Int64(951_782_400_000), "2000-02-29T00:00:00.000Z"),
        (Int64(-1), "1969-12-31T23:59:59.999Z"),
        (AuditTimestamp.earliestMs, "0001-01-01T00:00:00.000Z"),
        (AuditTimestamp.latestMs, "9999-12-31T23:59:59.999Z"),
    ])
    func formats(ms: Int64, text: String) {
        #expect(AuditTimestamp.format(milliseconds: ms) == text)
        #expect(AuditTimestamp.parse(text) == ms)
    }

    @Test("round-trips arbitrary instants and truncates toward the past")
    func roundTrips() {
        var random = SeededRandom("audit timestamps round-trip")
        for _ in 0..<1000 {
            let ms = Int64.random(in: AuditTimestamp.earliestMs...AuditTimestamp.latestMs, using: &random)
            #expect(AuditTimestamp.parse(AuditTimestamp.format(milliseconds: ms)) == ms, "\(random)")
        }
        #expect(AuditTimestamp.milliseconds(Date(timeIntervalSince1970: 1.9999)) == 1999)
        #expect(AuditTimestamp.milliseconds(Date(timeIntervalSince1970: -0.0005)) == -1)
        #expect(AuditTimestamp.format(Date(timeIntervalSince1970: 1e15)) == "9999-12-31T23:59:59.999Z")
        #expect(AuditTimestamp.format(Date(timeIntervalSince1970: -1e15)) == "0001-01-01T00:00:00.000Z")
    }

    @Test("rejects anything the log does not write", arguments: [
        "", "2025-02-30T00:00:00.000Z", "2025-02-19T21:20:00Z", "2025-02-19 21:20:00.123Z", "2025-02-19T24:00:00.000Z",
        "2025-02-19T21:20:00.123+08:00", "２０２５-02-19T21:20:00.123Z",
    ])
    func rejects(text: String) {
        #expect(AuditTimestamp.parse(text) == nil)
    }
}
