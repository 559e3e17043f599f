import Foundation
import Testing
import XinyuEventsAPI
import XinyuHomeschoolAPI
import XinyuPluginSDK
import XinyuWire

/// Special visits (特殊家访): owed once per trigger, closed by the three acknowledgements,
/// escalated to the school's psych lead when refused or overdue.
@Suite("Special visits")
struct SpecialVisitTests {
    func specialVisits(_ h: HomeschoolHarness, overdueOnly: Bool = false) async throws -> [Xinyu_Homeschool_V1_SpecialVisit] {
        try await h.call("ListSpecialVisits", Xinyu_Homeschool_V1_ListSpecialVisitsRequest.with { $0.overdueOnly = overdueOnly },
                         as: Xinyu_Homeschool_V1_ListSpecialVisitsResponse.self).value.specialVisits
    }

    func acknowledge(_ h: HomeschoolHarness, _ special: String, _ responsibilities: [Xinyu_Homeschool_V1_Responsibility], refused: Bool = false,
                     reason: String = "denies_problem", note: String = "") async throws -> Reply<Xinyu_Homeschool_V1_Visit> {
        let mother = try h.guardianID("S1", "母亲")
        return try await h.call("RecordVisit", Xinyu_Homeschool_V1_RecordVisitRequest.with {
            $0.studentID = "S1"; $0.mode = .inPerson; $0.met = ["母亲"]; $0.specialVisitID = special
            $0.acknowledgements = responsibilities.map { r in .with { $0.responsibility = r; $0.guardianID = mother; $0.acknowledgedOn = "2026-10-08"; $0.evidenceRef = "家访记录表 2026-031"; $0.refused = refused
                if refused { $0.refusalReason = reason; $0.refusalNote = note } } }
        }, as: Xinyu_Homeschool_V1_Visit.self)
    }

    @Test("a level-1 event owes one special visit for the class teacher; the same event again, and after a restart, owes no second")
    func onceAcrossRedeliveryAndRestart() async throws {
        let h = try HomeschoolHarness()
        let first = try await h.deliver("crisis.level.changed", levelChanged("S1", to: 1), eventID: 41)
        #expect(first.code == .ok && !first.value.duplicate, "\(first.message)")
        let owed = try await specialVisits(h)
        #expect(owed.count == 1)
        #expect(owed.first?.assigneeID == "T001" && owed.first?.dueOn == "2026-10-15" && owed.first?.status == .open)
        let again = try await h.deliver("crisis.level.changed", levelChanged("S1", to: 1), eventID: 41)
        #expect(again.code == .ok && again.value.duplicate)
        let restarted = try h.restarted()
        let afterRestart = try await restarted.deliver("crisis.level.changed", levelChanged("S1", to: 1), eventID: 41)
        #expect(afterRestart.code == .ok && afterRestart.value.duplicate)
        #expect(try h.count("homeschool_special_visits") == 1)
        // A fall to level 3 owes nothing; a new rise to level 2 is a new trigger.
        _ = try await h.deliver("crisis.level.changed", levelChanged("S1", from: 1, to: 3), eventID: 42)
        #expect(try h.count("homeschool_special_visits") == 1)
        _ = try await h.deliver("crisis.level.changed", levelChanged("S1", from: 3, to: 2), eventID: 43)
        #expect(try h.count("homeschool_special_visits") == 2)
    }

    @Test("all three acknowledgements close the special visit and its timer; a partial visit leaves it open")
    func threeAcknowledgementsClose() async throws {
        let h = try HomeschoolHarness()
        _ = try await h.deliver("crisis.level.changed", levelChanged("S1", to: 1), eventID: 7)
        let special = try await specialVisits(h)[0].id
        let partial = try await acknowledge(h, special, [.informed])
        #expect(partial.code == .ok, "\(partial.message)")
        #expect(try await specialVisits(h)[0].status == .open)
        let rest = try await acknowledge(h, special, [.treatment, .safety])
        #expect(rest.code == .ok, "\(rest.message)")
        #expect(rest.value.acknowledgements.map(\.relation) == ["母亲", "母亲"])
        let closed = try await specialVisits(h)[0]
        #expect(closed.status == .done && closed.visitID == rest.value.id)
        h.clock.advance(by: .seconds(30 * 86400))
        #expect(try await h.dispatcher.fireDueTimers() == 0)
        #expect(!(try h.topics().contains("homeschool.special_visit.escalated")))
    }

    @Test("a refusal is recorded, refuses the special visit and escalates to the school's psych lead")
    func refusalEscalates() async throws {
        let h = try HomeschoolHarness()
        _ = try await h.deliver("crisis.level.changed", levelChanged("S1", to: 2), eventID: 9)
        let special = try await specialVisits(h)[0].id
        let refused = try await acknowledge(h, special, [.treatment], refused: true)
        #expect(refused.code == .ok, "\(refused.message)")
        let row = try await specialVisits(h)[0]
        #expect(row.status == .refused && row.escalatedAtMs > 0)
        #expect(try h.topics() == ["homeschool.visit.recorded", "homeschool.special_visit.escalated"])
        let event = try h.database.readSync { db in
            try Xinyu_Events_V1_SpecialVisitEscalated(serializedBytes: [UInt8](Data.fetchOne(db, sql: "SELECT payload FROM xinyu_outbox WHERE topic = 'homeschool.special_visit.escalated'")!))
        }
        #expect(event.cause == "refused" && event.schoolID == "A" && event.notifyRole == "psych_teacher")
        #expect(refused.value.acknowledgements.map(\.refusalReason) == ["denies_problem"] && row.escalationReason.contains("denies_problem"))
    }

    @Test("a refusal records its reason: a configured one, or words, or both; none, or one not configured, is refused naming the field")
    func refusalReason() async throws {
        let h = try HomeschoolHarness()
        _ = try await h.deliver("crisis.level.changed", levelChanged("S1", to: 1), eventID: 11)
        let special = try await specialVisits(h)[0].id
        let none = try await acknowledge(h, special, [.safety], refused: true, reason: "")
        #expect(none.code == .invalidArgument && none.message.contains("acknowledgements[1].refusal_reason"), "\(none.message)")
        let unknown = try await acknowledge(h, special, [.safety], refused: true, reason: "busy")
        #expect(unknown.code == .invalidArgument && unknown.message.contains("'busy' is not one of denies_problem"), "\(unknown.message)")
        #expect(try h.count("homeschool_visits") == 0 && h.count("homeschool_acknowledgements") == 0)
        let words = try await acknowledge(h, special, [.safety], refused: true, reason: "", note: "父亲认为孩子只是青春期，拒绝签字")
        #expect(words.code == .ok, "\(words.message)")
        #expect(words.value.acknowledgements.map(\.refusalNote) == ["父亲认为孩子只是青春期，拒绝签字"])
        #expect(try await specialVisits(h)[0].status == .refused)
        #expect(try h.topics().contains("homeschool.special_visit.escalated"))
        let stored = try h.database.readSync { db in try String.fetchOne(db, sql: "SELECT refusal_note FROM homeschool_acknowledgements") }
        #expect(stored == "父亲认为孩子只是青春期，拒绝签字")
    }

    @Test("an acknowledgement by someone who is not the student's guardian is refused naming the field, and changes nothing")
    func notAGuardian() async throws {
        let h = try HomeschoolHarness()
        _ = try await h.deliver("crisis.level.changed", levelChanged("S1", to: 1), eventID: 5)
        let special = try await specialVisits(h)[0].id
        let stranger = try h.guardianID("S2", "母亲")
        let r = try await h.call("RecordVisit", Xinyu_Homeschool_V1_RecordVisitRequest.with {
            $0.studentID = "S1"; $0.mode = .inPerson; $0.met = ["母亲"]; $0.specialVisitID = special
            $0.acknowledgements = [.with { $0.responsibility = .informed; $0.guardianID = stranger; $0.acknowledgedOn = "2026-10-08"; $0.evidenceRef = "表" }]
        }, as: Xinyu_Homeschool_V1_Visit.self)
        #expect(r.code == .invalidArgument && r.message.contains("acknowledgements[1].guardian_id"), "\(r.message)")
        #expect(try h.count("homeschool_visits") == 0)
    }

    @Test("an overdue special visit is listed and escalates once, by its durable timer")
    func overdueEscalates() async throws {
        let h = try HomeschoolHarness()
        let set = try await h.call("SetCategory", Xinyu_Homeschool_V1_SetCategoryRequest.with { $0.studentID = "S3"; $0.category = "left_behind"; $0.reason = "父母在外务工" },
                                   as: Xinyu_Homeschool_V1_StudentCategory.self)
        #expect(set.code == .ok && !set.value.specialVisitID.isEmpty, "\(set.message)")
        let twice = try await h.call("SetCategory", Xinyu_Homeschool_V1_SetCategoryRequest.with { $0.studentID = "S3"; $0.category = "left_behind"; $0.reason = "再次" },
                                     as: Xinyu_Homeschool_V1_StudentCategory.self)
        #expect(twice.code == .alreadyExists)
        let unknown = try await h.call("SetCategory", Xinyu_Homeschool_V1_SetCategoryRequest.with { $0.studentID = "S3"; $0.category = "other"; $0.reason = "x" },
                                       as: Xinyu_Homeschool_V1_StudentCategory.self)
        #expect(unknown.code == .invalidArgument && unknown.message.contains("category"))
        #expect(try await specialVisits(h, overdueOnly: true).isEmpty)
        h.clock.advance(by: .seconds(7 * 86400))
        #expect(try await h.dispatcher.fireDueTimers() == 0, "due today is not yet overdue")
        h.clock.advance(by: .seconds(86400))
        #expect(try await h.dispatcher.fireDueTimers() == 1)
        let overdue = try await specialVisits(h, overdueOnly: true)
        #expect(overdue.count == 1 && overdue[0].escalationReason.contains("not visited"))
        #expect(try h.topics().filter { $0 == "homeschool.special_visit.escalated" }.count == 1)
    }
}
