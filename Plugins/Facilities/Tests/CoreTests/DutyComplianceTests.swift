import Testing
import XinyuDomainKit
import XinyuFacilitiesCore

@Suite("Duty roster and compliance")
struct DutyComplianceTests {
    static func day(_ text: String) -> CalendarDay { CalendarDay(text)! }

    @Test("weekdays are ISO (Monday 1 … Sunday 7)")
    func weekdays() {
        #expect(Self.day("2026-11-30").isoWeekday == 1)
        #expect(Self.day("2026-11-29").isoWeekday == 7)
        #expect(Self.day("2023-12-31").isoWeekday == 7)
    }

    @Test("a weekly slot repeats on its weekday from its first day until its last")
    func repeats() {
        let slot = DutySlotPlan(id: "1", teacherID: "T1", weekday: 3, startsAt: TimeOfDay("12:00")!, endsAt: TimeOfDay("13:00")!,
                                from: Self.day("2026-11-02"), until: Self.day("2026-11-25"))
        #expect(slot.days(from: Self.day("2026-10-01"), to: Self.day("2026-12-31")).map(\.description)
                == ["2026-11-04", "2026-11-11", "2026-11-18", "2026-11-25"])
        #expect(slot.nextDay(onOrAfter: Self.day("2026-11-26")) == nil)
    }

    @Test("missed, kept and excused: a break excuses, a check-in keeps, an unfinished slot today does not count yet")
    func compliance() {
        let slots = [
            DutySlotPlan(id: "1", teacherID: "T1", weekday: 1, startsAt: TimeOfDay("12:00")!, endsAt: TimeOfDay("13:00")!, from: Self.day("2026-11-01"), until: nil),
            DutySlotPlan(id: "2", teacherID: "T2", weekday: 1, startsAt: TimeOfDay("16:00")!, endsAt: TimeOfDay("17:00")!, from: Self.day("2026-11-01"), until: nil),
        ]
        // Mondays 11-02, 11-09 (break), 11-16, 11-23, 11-30 (today, 14:00: slot 1 ended, slot 2 not).
        let calculator = DutyComplianceCalculator(breaks: [DutyBreak(name: "秋假", from: Self.day("2026-11-09"), to: Self.day("2026-11-10"))])
        let kept: Set<String> = ["1 2026-11-02", "1 2026-11-16", "2 2026-11-02"]
        let result = calculator.compute(slots: slots, from: Self.day("2026-11-01"), to: Self.day("2026-12-31"), today: Self.day("2026-11-30"),
                                        nowInDay: TimeOfDay("14:00")!) { kept.contains("\($0) \($1)") }
        #expect(result.teachers.map(\.teacherID) == ["T1", "T2"])
        #expect(result.teachers[0].rostered == 4 && result.teachers[0].kept == 2 && result.teachers[0].excused == 1)
        #expect(result.teachers[1].rostered == 3 && result.teachers[1].kept == 1 && result.teachers[1].missed == 2)
        #expect(result.school.rostered == 7 && result.school.kept == 3 && result.school.excused == 2)
        #expect(abs(result.school.share - 3.0 / 7.0) < 1e-9)
    }

    @Test("times of day parse HH:MM and HH:MM:SS and nothing else")
    func times() {
        #expect(TimeOfDay("07:30")?.seconds == 27_000)
        #expect(TimeOfDay("23:59:59")?.description == "23:59:59")
        for bad in ["7:30", "24:00", "12:60", "12:00:60", "noon", ""] { #expect(TimeOfDay(bad) == nil, "\(bad)") }
    }
}
