import Testing
import XinyuCrisisCore
import XinyuDomainKit

/// A period report replays the level history: levels as they stood on `to`, moves within the
/// period, students removed within it (issue 12 §5).
@Suite("Levels as they stood in a reporting period")
struct LevelInPeriodTests {
    static func day(_ text: String) -> CalendarDay { CalendarDay(text)! }
    static func change(_ day: String, _ from: Int, _ to: Int, _ why: String = "") -> LevelChangeFact {
        LevelChangeFact(day: Self.day(day), fromLevel: from, toLevel: to, explanation: why.isEmpty ? "\(from)→\(to)" : why)
    }
    static let from = day("2024-09-01")
    static let to = day("2024-12-31")

    @Test("a level set after the period is not reported; the level on `to` is, with its own reason and day")
    func asOfTo() {
        let history = [Self.change("2024-10-08", 0, 2, "PHQ-A moderate"), Self.change("2025-01-05", 2, 1, "later")]
        let seen = LevelInPeriod.replay(history, from: Self.from, to: Self.to)
        #expect(seen == LevelInPeriod(level: 2, since: Self.day("2024-10-08"), explanation: "PHQ-A moderate", change: .new))
        #expect(LevelInPeriod.replay([Self.change("2025-01-05", 0, 1)], from: Self.from, to: Self.to) == nil)
    }

    @Test("moves within the period: raised, lowered, changed and back, unchanged")
    func moves() {
        #expect(LevelInPeriod.replay([Self.change("2024-05-01", 0, 3), Self.change("2024-11-01", 3, 1)], from: Self.from, to: Self.to)?.change == .raised)
        #expect(LevelInPeriod.replay([Self.change("2024-05-01", 0, 1), Self.change("2024-11-01", 1, 3)], from: Self.from, to: Self.to)?.change == .lowered)
        let back = LevelInPeriod.replay([Self.change("2024-05-01", 0, 2), Self.change("2024-10-01", 2, 1), Self.change("2024-11-01", 1, 2)], from: Self.from, to: Self.to)
        #expect(back?.change == .changed && back?.since == Self.day("2024-11-01"))
        let same = LevelInPeriod.replay([Self.change("2024-05-01", 0, 2), Self.change("2024-10-01", 2, 2, "confirmed")], from: Self.from, to: Self.to)
        #expect(same == LevelInPeriod(level: 2, since: Self.day("2024-05-01"), explanation: "confirmed", change: .none))
    }

    @Test("removed within the period is reported as removed with the removal day; removed before it is not")
    func removals() {
        let removed = LevelInPeriod.replay([Self.change("2024-05-01", 0, 2), Self.change("2024-12-01", 2, 0, "解除预警 approved")], from: Self.from, to: Self.to)
        #expect(removed == LevelInPeriod(level: 0, since: Self.day("2024-12-01"), explanation: "解除预警 approved", change: .removed))
        #expect(LevelInPeriod.replay([Self.change("2024-05-01", 0, 2), Self.change("2024-08-31", 2, 0)], from: Self.from, to: Self.to) == nil)
        let inAndOut = LevelInPeriod.replay([Self.change("2024-10-01", 0, 3), Self.change("2024-12-31", 3, 0)], from: Self.from, to: Self.to)
        #expect(inAndOut?.change == .removed)
        // Removed after the period: still at the level on `to`.
        #expect(LevelInPeriod.replay([Self.change("2024-05-01", 0, 2), Self.change("2025-01-02", 2, 0)], from: Self.from, to: Self.to)?.level == 2)
    }

    @Test("gender is written 男 / 女 as CRISIS-EXPORT.md says, from the directory's stored text")
    func gender() {
        #expect(ExportGender.text(directoryGender: "male") == "男")
        #expect(ExportGender.text(directoryGender: "female") == "女")
    }
}
