import Testing
import XinyuDomainKit
import XinyuFacilitiesCore

@Suite("Ending or changing a duty slot leaves the past as it was")
struct DutyRosterChangeTests {
    static func day(_ text: String) -> CalendarDay { CalendarDay(text)! }
    // Tuesdays 10:00–11:00 from 2024-10-01; 2024-10-08 is a Tuesday.
    let slot = DutySlotPlan(id: "1", teacherID: "T1", weekday: 2, startsAt: TimeOfDay("10:00")!, endsAt: TimeOfDay("11:00")!,
                            from: day("2024-10-01"), until: nil)

    @Test("today's occurrence counts as ended only once its end has passed")
    func lastEnded() {
        #expect(DutyRosterChange.lastEndedDay(of: slot, today: Self.day("2024-10-08"), nowInDay: TimeOfDay("10:59")!) == Self.day("2024-10-01"))
        #expect(DutyRosterChange.lastEndedDay(of: slot, today: Self.day("2024-10-08"), nowInDay: TimeOfDay("11:00")!) == Self.day("2024-10-08"))
        #expect(DutyRosterChange.lastEndedDay(of: slot, today: Self.day("2024-09-30"), nowInDay: TimeOfDay("12:00")!) == nil)
    }

    @Test("a change takes effect after the last ended occurrence; the slot's last day is the day before")
    func effective() throws {
        let now = (today: Self.day("2024-10-08"), time: TimeOfDay("12:00")!)
        #expect(try DutyRosterChange.until(endingFrom: Self.day("2024-10-09"), slot: slot, today: now.today, nowInDay: now.time) == Self.day("2024-10-08"))
        #expect(throws: DutyRosterChange.Refusal.self) {
            try DutyRosterChange.until(endingFrom: Self.day("2024-10-08"), slot: slot, today: now.today, nowInDay: now.time)
        }
        // Before 11:00 today's occurrence has not ended: it can still be dropped.
        #expect(try DutyRosterChange.until(endingFrom: Self.day("2024-10-08"), slot: slot, today: now.today, nowInDay: TimeOfDay("09:00")!) == Self.day("2024-10-07"))
        let ending = slot.ending(on: Self.day("2024-10-20"))
        #expect(throws: DutyRosterChange.Refusal(description: "slot 1 already ends on 2024-10-20")) {
            try DutyRosterChange.until(endingFrom: Self.day("2024-10-22"), slot: ending, today: now.today, nowInDay: now.time)
        }
        #expect(ending.occurs(on: Self.day("2024-10-15")) && !ending.occurs(on: Self.day("2024-10-22")) && !ending.occurs(on: Self.day("2024-10-16")))
    }
}
